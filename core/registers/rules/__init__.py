"""Rules per register. ``rules_for`` builds the validator of one file."""

from __future__ import annotations

from core.registers.header import HeaderMap
from core.registers.model import Register
from core.registers.rules.base import Context, RegisterRules
from core.registers.rules.inventory import InventoryRules
from core.registers.rules.parties import CustomerRules, SupplierRules
from core.registers.rules.products import ProductRules

_RULES: dict[Register, type[RegisterRules]] = {
    Register.PRODUCTS: ProductRules,
    Register.CUSTOMERS: CustomerRules,
    Register.SUPPLIERS: SupplierRules,
    Register.INVENTORY: InventoryRules,
}


def rules_for(header: HeaderMap, context: Context) -> RegisterRules:
    return _RULES[header.register](header, context)


__all__ = ["Context", "RegisterRules", "rules_for"]
