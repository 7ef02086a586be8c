"""Credentials never show their secrets, and are stored encrypted with rotation possible."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr, ValidationError

from core.credentials import NetvisorCredentials, RackbeatCredentials, SecretBox
from core.errors import ConfigurationError

KEY = "current-secret-key-0123456789"
OLD_KEY = "previous-secret-key-9876543210"


def netvisor(**changes: object) -> NetvisorCredentials:
    fields: dict[str, object] = {
        "customer_id": "cid",
        "customer_key": "very-secret-customer-key",
        "partner_id": "pid",
        "partner_key": "very-secret-partner-key",
        "organisation_id": "1572860-0",
    }
    return NetvisorCredentials.model_validate({**fields, **changes})


def test_secrets_do_not_show_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    credentials = netvisor()
    rackbeat = RackbeatCredentials(api_token=SecretStr("rb-secret-token"))
    logging.getLogger("test").warning("connecting with %s %r %s", credentials, rackbeat, rackbeat)
    shown = f"{credentials!r} {credentials} {rackbeat!r} {caplog.text}"
    for secret in ("very-secret-customer-key", "very-secret-partner-key", "rb-secret-token"):
        assert secret not in shown


def test_validation_errors_do_not_echo_the_input() -> None:
    with pytest.raises(ValidationError) as caught:
        netvisor(organisation_id="very-secret-not-an-id", extra_field="very-secret-extra")
    assert "very-secret" not in str(caught.value)


@pytest.mark.parametrize("business_id", ["1572860-0", "15728600", " 1572860-0 "])
def test_business_id_is_checked_and_normalised(business_id: str) -> None:
    assert netvisor(organisation_id=business_id).organisation_id == "1572860-0"


@pytest.mark.parametrize("business_id", ["1572860-1", "abc", ""])
def test_a_wrong_business_id_is_refused(business_id: str) -> None:
    with pytest.raises(ValidationError):
        netvisor(organisation_id=business_id)


def test_sealed_credentials_open_again_and_hide_their_secrets() -> None:
    box = SecretBox(KEY)
    token = box.seal(netvisor())
    assert "very-secret" not in token
    opened = box.open(token, NetvisorCredentials)
    assert opened == netvisor()
    assert opened.customer_key.get_secret_value() == "very-secret-customer-key"
    assert KEY not in repr(box)


def test_each_seal_is_different() -> None:
    box = SecretBox(KEY)
    assert box.seal(netvisor()) != box.seal(netvisor())


def test_a_different_key_cannot_open_and_says_what_to_do() -> None:
    token = SecretBox(OLD_KEY).seal(netvisor())
    with pytest.raises(ConfigurationError, match="SECRET_KEY") as caught:
        SecretBox(KEY).open(token, NetvisorCredentials)
    assert OLD_KEY not in str(caught.value) and KEY not in str(caught.value)


def test_rotation_opens_old_tokens_and_reseals_them_under_the_new_key() -> None:
    old_token = SecretBox(OLD_KEY).seal(netvisor())
    box = SecretBox(KEY, previous_keys=[SecretStr(OLD_KEY)])
    assert box.open(old_token, NetvisorCredentials) == netvisor()
    rotated = box.rotate(old_token)
    assert SecretBox(KEY).open(rotated, NetvisorCredentials) == netvisor()


@pytest.mark.parametrize("token", ["garbage", "", "gAAAAA"])
def test_a_damaged_token_is_a_configuration_error(token: str) -> None:
    with pytest.raises(ConfigurationError):
        SecretBox(KEY).open(token, RackbeatCredentials)
    with pytest.raises(ConfigurationError):
        SecretBox(KEY).rotate(token)


def test_a_token_of_the_wrong_kind_does_not_open_as_another_kind() -> None:
    box = SecretBox(KEY)
    token = box.seal(RackbeatCredentials(api_token=SecretStr("x")))
    with pytest.raises(ConfigurationError):
        box.open(token, NetvisorCredentials)


def test_a_short_secret_key_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="at least 16"):
        SecretBox("short")
