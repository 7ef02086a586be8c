"""The docstring examples of the numbering core and the source helpers are tests too."""

from __future__ import annotations

import doctest
import importlib
from types import ModuleType

import pytest

MODULES = [
    "core.numbering.model",
    "core.numbering.thresholds",
    "core.numbering.calendar",
    "core.numbering.forecast",
    "core.numbering.freshness",
    "core.numbering.evaluate",
    "core.sources.http",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
