"""The Rackbeat client against a local Rackbeat over real HTTP."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from core.credentials import RackbeatCredentials
from core.errors import UpstreamRejected, UpstreamUnavailable
from core.sources.rackbeat import RackbeatClient
from core.upstream import Series, Source, SourceRejected, SourceUnavailable
from tests.core.sources.conftest import NO_JITTER, RACKBEAT_TOKEN, Sleeps
from tests.fakes.rackbeat import (
    FakeRackbeat,
    json_reply,
    reply_malformed,
    reply_rate_limited,
    reply_server_error,
    reply_unauthorized,
)
from tests.fakes.server import running


def client(
    fake: FakeRackbeat, credentials: RackbeatCredentials, sleeps: Sleeps, **kwargs: object
) -> RackbeatClient:
    return RackbeatClient(fake.url, credentials, retry=NO_JITTER, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def test_highest_numbers_of_both_series(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=10_023, order=5_001)
    rackbeat.add_document(RACKBEAT_TOKEN, "invoice", 10_024)
    rackbeat.add_document(RACKBEAT_TOKEN, "invoice", 9_000)
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.highest_number(Series.INVOICE) == 10_024
        assert api.highest_number(Series.ORDER) == 5_001
    paths = [request.path for request in rackbeat.requests]
    assert paths == [
        "/api/customer-invoices?order_by=number&order_direction=DESC&limit=1",
        "/api/orders?order_by=number&order_direction=DESC&limit=1",
    ]


def test_a_series_without_documents_has_no_highest_number(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN)
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.highest_number(Series.ORDER) is None


def test_requests_carry_the_token_json_and_a_user_agent(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, "Kone ja Rauta Oy")
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.company_name() == "Kone ja Rauta Oy"
    [request] = rackbeat.requests
    assert request.headers["Authorization"] == f"Bearer {RACKBEAT_TOKEN}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("rackbeat-onboarding-bot/")


def test_a_wrong_token_is_rejected_without_showing_it(
    rackbeat: FakeRackbeat, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN)
    wrong = RackbeatCredentials(api_token=SecretStr("wrong-token-123"))
    with client(rackbeat, wrong, sleeps) as api, pytest.raises(UpstreamRejected) as caught:
        api.company_name()
    error = caught.value
    assert isinstance(error, SourceRejected)
    assert (error.source, error.code) == (Source.RACKBEAT, "unauthorized")
    assert "wrong-token-123" not in f"{error} {error.reason!r} {api!r} {wrong!r}"
    assert sleeps == []  # a rejection is not retried


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (json_reply(404, {"message": "Not Found"}), "not_found"),
        (json_reply(422, {"message": "invalid"}), "invalid_request"),
        (json_reply(403, {"message": "forbidden"}), "forbidden"),
        (json_reply(418, {"message": "teapot"}), "http_418"),
    ],
)
def test_client_errors_are_rejections(
    rackbeat: FakeRackbeat,
    rackbeat_credentials: RackbeatCredentials,
    sleeps: Sleeps,
    reply: object,
    code: str,
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=1)
    rackbeat.fail_next(reply)  # type: ignore[arg-type]
    with (
        client(rackbeat, rackbeat_credentials, sleeps) as api,
        pytest.raises(SourceRejected) as caught,
    ):
        api.highest_number(Series.INVOICE)
    assert caught.value.code == code


def test_429_is_retried_after_the_time_rackbeat_asks_for(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=77)
    rackbeat.fail_next(reply_rate_limited("3"), times=2)
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.highest_number(Series.INVOICE) == 77
    assert sleeps == [3.0, 3.0]
    assert len(rackbeat.requests) == 3


def test_429_without_retry_after_backs_off_exponentially(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=77)
    rackbeat.fail_next(reply_rate_limited(None), times=4)
    with (
        client(rackbeat, rackbeat_credentials, sleeps) as api,
        pytest.raises(UpstreamUnavailable) as caught,
    ):
        api.highest_number(Series.INVOICE)
    assert isinstance(caught.value, SourceUnavailable)
    assert caught.value.code == "rate_limited"
    assert sleeps == [0.5, 1.0, 2.0]


def test_a_retry_after_too_long_to_wait_gives_up_at_once(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=77)
    rackbeat.fail_next(reply_rate_limited("3600"))
    with client(rackbeat, rackbeat_credentials, sleeps) as api, pytest.raises(SourceUnavailable):
        api.highest_number(Series.INVOICE)
    assert sleeps == []
    assert len(rackbeat.requests) == 1


def test_server_errors_are_retried_then_reported_unavailable(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=77)
    rackbeat.fail_next(reply_server_error(502))
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.highest_number(Series.INVOICE) == 77
    rackbeat.fail_next(reply_server_error(503), times=4)
    with (
        client(rackbeat, rackbeat_credentials, sleeps) as api,
        pytest.raises(SourceUnavailable) as caught,
    ):
        api.highest_number(Series.INVOICE)
    assert caught.value.code == "http_503"


@pytest.mark.parametrize(
    "reply",
    [
        reply_malformed(),
        json_reply(206, ["not", "an", "object"]),
        json_reply(206, {"orders": []}),
        json_reply(206, {"customer_invoices": [{"id": 5}]}),
        json_reply(206, {"customer_invoices": [{"number": "INV-9"}]}),
        json_reply(206, {"customer_invoices": [{"number": True}]}),
    ],
)
def test_an_unusable_answer_is_unavailable_not_a_crash(
    rackbeat: FakeRackbeat,
    rackbeat_credentials: RackbeatCredentials,
    sleeps: Sleeps,
    reply: object,
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=77)
    rackbeat.fail_next(reply)  # type: ignore[arg-type]
    with (
        client(rackbeat, rackbeat_credentials, sleeps) as api,
        pytest.raises(SourceUnavailable) as caught,
    ):
        api.highest_number(Series.INVOICE)
    assert caught.value.code == "malformed"


def test_numbers_given_as_text_are_read(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN)
    rackbeat.fail_next(json_reply(206, {"customer_invoices": [{"number": "000123456789012345"}]}))
    with client(rackbeat, rackbeat_credentials, sleeps) as api:
        assert api.highest_number(Series.INVOICE) == 123456789012345


def test_a_slow_answer_times_out(rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps) -> None:
    with running(FakeRackbeat(latency=0.3)) as slow:
        slow.add_account(RACKBEAT_TOKEN, invoice=1)
        api = client(slow, rackbeat_credentials, sleeps, timeout=httpx.Timeout(0.05))
        with api, pytest.raises(SourceUnavailable) as caught:
            api.highest_number(Series.INVOICE)
    assert caught.value.code == "timeout"
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert len(sleeps) == 3


def test_an_unreachable_rackbeat_is_unavailable(
    rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    fake = FakeRackbeat().start()
    url = fake.url
    fake.stop()
    with (
        RackbeatClient(url, rackbeat_credentials, retry=NO_JITTER, sleep=sleeps) as api,
        pytest.raises(SourceUnavailable) as caught,
    ):
        api.highest_number(Series.ORDER)
    assert caught.value.code == "connection"
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_a_shared_http_client_is_not_closed_by_the_rackbeat_client(
    rackbeat: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    rackbeat.add_account(RACKBEAT_TOKEN, invoice=5)
    with httpx.Client() as shared:
        with client(rackbeat, rackbeat_credentials, sleeps, http=shared) as api:
            api.highest_number(Series.INVOICE)
        assert not shared.is_closed


def test_unauthorized_reply_helper_matches_the_fake(rackbeat: FakeRackbeat) -> None:
    rackbeat.fail_next(reply_unauthorized())
    response = httpx.get(rackbeat.url + "self")
    assert response.status_code == 401
