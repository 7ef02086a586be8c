"""Tenancy and permissions, shared by every area that changes an onboarding.

An onboarding lives in one ``Channel`` of one Slack team. Whoever starts it owns it; the
owner adds and removes members; members change the steps; Slack workspace admins and owners
may always act. Everyone else reads (``status``, ``next``, ``history``, ``help``) and may drop
files for checking. Each area's service checks these rules for every change, whatever the
entry point (command, button, modal), so the Slack layer cannot bypass them. Whether a user
is a workspace admin comes from the caller (``users.info`` in Slack), which keeps ``core``
free of Slack.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from core.errors import PermissionDenied


@dataclass(frozen=True)
class Channel:
    """Where an onboarding lives: one channel of one Slack team."""

    team_id: str
    channel_id: str


@dataclass(frozen=True)
class Actor:
    """The user asking, as the caller knows them.

    ``locale`` (for example ``fi-FI`` from Slack's ``users.info``) picks the language of
    answers that come before any onboarding exists, such as "no onboarding here yet".
    """

    user_id: str
    is_workspace_admin: bool = False
    locale: str | None = None


class Role(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    ADMIN = "admin"  # a workspace admin or owner who is not a member
    READER = "reader"


class Capability(StrEnum):
    READ = "read"
    CHANGE = "change"  # steps, valuation, language, checklist buttons and modals
    MANAGE_MEMBERS = "manage_members"


CAPABILITIES: Mapping[Role, frozenset[Capability]] = MappingProxyType(
    {
        Role.OWNER: frozenset(Capability),
        Role.ADMIN: frozenset(Capability),
        Role.MEMBER: frozenset({Capability.READ, Capability.CHANGE}),
        Role.READER: frozenset({Capability.READ}),
    }
)


def role_of(actor: Actor, owner_id: str, member_ids: Collection[str]) -> Role:
    """The strongest role ``actor`` holds on an onboarding owned by ``owner_id``."""
    if actor.user_id == owner_id:
        return Role.OWNER
    if actor.is_workspace_admin:
        return Role.ADMIN
    if actor.user_id in member_ids:
        return Role.MEMBER
    return Role.READER


def may(role: Role, capability: Capability) -> bool:
    return capability in CAPABILITIES[role]


def require(
    actor: Actor,
    capability: Capability,
    *,
    owner_id: str,
    member_ids: Collection[str],
) -> Role:
    """The actor's role, or ``PermissionDenied`` naming who can grant access (the owner) and
    who asked."""
    role = role_of(actor, owner_id, member_ids)
    if may(role, capability):
        return role
    if capability is Capability.MANAGE_MEMBERS:
        raise PermissionDenied("onb.permission.members", owner=owner_id, you=actor.user_id)
    raise PermissionDenied("onb.permission.change", owner=owner_id, you=actor.user_id)


def _validate() -> None:
    if set(CAPABILITIES) != set(Role):
        raise AssertionError("every role needs its capabilities")
    if any(Capability.READ not in caps for caps in CAPABILITIES.values()):
        raise AssertionError("everyone may read")


_validate()
