"""Rules per register. ``rules_for`` builds the validator of one file."""

from __future__ import annotations

import importlib

from core.registers.header import HeaderMap
from core.registers.model import Register
from core.registers.rules.base import Context, RegisterRules

# Imported when a file of that register is checked: the customers' and suppliers' rules load
# python-stdnum's registries and Babel's country names, which a products file never needs
# (`python -m bot validate products.csv` starts that much sooner).
_RULES: dict[Register, tuple[str, str]] = {
    Register.PRODUCTS: ("core.registers.rules.products", "ProductRules"),
    Register.CUSTOMERS: ("core.registers.rules.parties", "CustomerRules"),
    Register.SUPPLIERS: ("core.registers.rules.parties", "SupplierRules"),
    Register.INVENTORY: ("core.registers.rules.inventory", "InventoryRules"),
}


def rules_for(header: HeaderMap, context: Context) -> RegisterRules:
    module, name = _RULES[header.register]
    rules: type[RegisterRules] = getattr(importlib.import_module(module), name)
    return rules(header, context)


__all__ = ["Context", "RegisterRules", "rules_for"]
