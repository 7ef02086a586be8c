"""Steps the account settles by itself.

``login`` is done once the connection works: the credentials were accepted by ``GET /self``
and the company name is known (the connection itself is audited with it by the numbering
area). The step is marked by the account (``VERIFIER`` in ``changed_by``), through the same
machine and audit trail as a person's tick, so the checklist can say "verified in Rackbeat"
instead of naming someone.
"""

from __future__ import annotations

from core.errors import DomainError
from core.onboarding.machine import Action
from core.onboarding.service import OnboardingService
from core.onboarding.snapshot import ChangeResult
from core.onboarding.steps import OPEN, StepId
from core.tenancy import Actor, Channel

VERIFIER = "rackbeat"
"""``changed_by`` of a step verified from the account (Slack user ids are upper case)."""

ACCOUNT = Actor(VERIFIER, is_workspace_admin=True)
"""The account acting on its own steps: allowed to change them, like an administrator."""


def verify_login(service: OnboardingService, where: Channel, company: str) -> ChangeResult | None:
    """Mark ``login`` done as verified by the Rackbeat connection (``None``: nothing to do,
    the step was already settled by someone)."""
    found = service.find(where)
    if found is None:
        return None
    step = next((s for s in found.steps if s.id is StepId.LOGIN), None)
    if step is None or step.state not in OPEN:
        return None
    try:
        return service.change_step(where, ACCOUNT, StepId.LOGIN, Action.DONE, company)
    except DomainError:
        return None  # the machine said no (it never does for login today): leave it to people
