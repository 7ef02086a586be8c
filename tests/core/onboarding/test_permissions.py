"""Roles and what they may do."""

from __future__ import annotations

import pytest

from core.errors import PermissionDenied
from core.tenancy import Actor, Capability, Role, may, require, role_of
from handlers.errors import render_error


def test_roles() -> None:
    members = {"U_BOB"}
    assert role_of(Actor("U_ANN"), "U_ANN", members) is Role.OWNER
    assert role_of(Actor("U_BOB"), "U_ANN", members) is Role.MEMBER
    assert role_of(Actor("U_BOB", is_workspace_admin=True), "U_ANN", members) is Role.ADMIN
    assert role_of(Actor("U_EVE"), "U_ANN", members) is Role.READER


@pytest.mark.parametrize(
    ("role", "change", "manage"),
    [
        (Role.OWNER, True, True),
        (Role.ADMIN, True, True),
        (Role.MEMBER, True, False),
        (Role.READER, False, False),
    ],
)
def test_capabilities(role: Role, change: bool, manage: bool) -> None:
    assert may(role, Capability.READ)
    assert may(role, Capability.CHANGE) is change
    assert may(role, Capability.MANAGE_MEMBERS) is manage


def test_a_refusal_names_who_can_grant_access() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require(Actor("U_EVE"), Capability.CHANGE, owner_id="U_ANN", member_ids=())
    assert refused.value.code == "onb.permission.change"
    assert refused.value.params == {"owner": "U_ANN", "you": "U_EVE"}
    words = render_error(refused.value, "fi")
    assert "<@U_ANN>" in words and "<@U_EVE>" in words
    assert "ylläpitäjä" in words
