"""The Netvisor client against a local Netvisor that checks the MAC and transaction ids."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from datetime import UTC, date, datetime

import httpx
import pytest
from freezegun import freeze_time
from pydantic import SecretStr

from core.credentials import NetvisorCredentials
from core.errors import UpstreamRejected, UpstreamUnavailable
from core.sources.netvisor import NetvisorClient, NetvisorScan, compute_mac
from core.upstream import Series, Source, SourceRejected, SourceUnavailable
from tests.core.sources.conftest import CUSTOMER_KEY, NO_JITTER, PARTNER_KEY, Sleeps
from tests.fakes.netvisor import (
    FakeNetvisor,
    NetvisorCompany,
    Reply,
    expected_mac,
    reply_entity_bomb,
    reply_failed,
    reply_malformed,
    reply_rate_limited,
    reply_server_error,
    xml_reply,
)
from tests.fakes.server import running


def client(
    fake: FakeNetvisor, credentials: NetvisorCredentials, sleeps: Sleeps, **kwargs: object
) -> NetvisorClient:
    return NetvisorClient(fake.url, credentials, retry=NO_JITTER, sleep=sleeps, **kwargs)  # type: ignore[arg-type]


def numbers(fake: FakeNetvisor, series: str, *values: str) -> None:
    for value in values:
        fake.add_document("customer-1", series, value)


def test_highest_invoice_and_order_numbers(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", "10021", "10023", "10022")
    numbers(netvisor, "order", "500", "501")
    with client(netvisor, netvisor_credentials, sleeps) as api:
        invoices = api.scan(Series.INVOICE)
        orders = api.scan(Series.ORDER)
    assert invoices == NetvisorScan(10023, 3, 3, 0)
    assert orders == NetvisorScan(501, 5, 2, 0)
    assert [r.path for r in netvisor.requests] == [
        "/salesinvoicelist.nv",
        "/salesinvoicelist.nv?listtype=preinvoice",
    ]
    assert netvisor.rejected == {}


def test_every_authentication_header_is_sent_and_the_mac_verifies(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    moment = datetime(2025, 3, 4, 5, 6, 7, 891_000, tzinfo=UTC)
    with client(netvisor, netvisor_credentials, sleeps, clock=lambda: moment) as api:
        api.list_documents(Series.ORDER, above_key=41)
    [request] = netvisor.requests
    headers = request.headers
    assert headers["X-Netvisor-Authentication-Timestamp"] == "2025-03-04 05:06:07.891"
    assert headers["X-Netvisor-Authentication-TimestampUnix"] == str(int(moment.timestamp()))
    assert headers["X-Netvisor-Authentication-MACHashCalculationAlgorithm"] == "HMACSHA256"
    assert headers["X-Netvisor-Authentication-UseHTTPResponseStatusCodes"] == "1"
    assert headers["X-Netvisor-Interface-Language"] == "FI"
    assert headers["X-Netvisor-Organisation-ID"] == "1572860-0"
    assert headers["X-Netvisor-Authentication-CustomerId"] == "customer-1"
    assert headers["X-Netvisor-Authentication-PartnerId"] == "partner-1"
    url = f"http://{headers['Host']}{request.path}"
    assert "invoicesabovenetvisorkey=41" in url and "listtype=preinvoice" in url
    assert headers["X-Netvisor-Authentication-MAC"] == expected_mac(
        url, headers, CUSTOMER_KEY, PARTNER_KEY
    )
    assert CUSTOMER_KEY not in str(headers) and PARTNER_KEY not in str(headers)


def test_the_mac_follows_domain_md_to_the_letter(netvisor_credentials: NetvisorCredentials) -> None:
    headers = {
        "X-Netvisor-Authentication-Sender": "S",
        "X-Netvisor-Authentication-CustomerId": "C",
        "X-Netvisor-Authentication-Timestamp": "2025-01-01 00:00:00.000",
        "X-Netvisor-Interface-Language": "FI",
        "X-Netvisor-Organisation-ID": "1572860-0",
        "X-Netvisor-Authentication-TransactionId": "T",
        "X-Netvisor-Authentication-TimestampUnix": "1735689600",
    }
    # Reference computed by hand:
    #   key = "customer-key-5e1d&partner-key-88b2"
    #   msg = "https://x/a.nv?b=1&S&C&2025-01-01 00:00:00.000&FI&1572860-0&T&1735689600&" + key

    key = f"{CUSTOMER_KEY}&{PARTNER_KEY}"
    message = f"https://x/a.nv?b=1&S&C&2025-01-01 00:00:00.000&FI&1572860-0&T&1735689600&{key}"
    reference = hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()
    assert compute_mac("https://x/a.nv?b=1", netvisor_credentials, headers) == reference


def test_wrong_keys_are_rejected_with_netvisors_code(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    wrong = netvisor_credentials.model_copy(update={"customer_key": SecretStr("not-the-key")})
    with client(netvisor, wrong, sleeps) as api, pytest.raises(UpstreamRejected) as caught:
        api.scan(Series.INVOICE)
    error = caught.value
    assert isinstance(error, SourceRejected)
    assert (error.source, error.code) == (Source.NETVISOR, "AUTHENTICATION_FAILED")
    assert "not-the-key" not in f"{error} {api!r} {wrong!r}"
    assert sleeps == []


def test_a_new_transaction_id_for_every_request_including_retries(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", "7")
    netvisor.fail_next(reply_server_error(503), times=2)
    with client(netvisor, netvisor_credentials, sleeps) as api:
        assert api.scan(Series.INVOICE).highest_number == 7
        api.scan(Series.INVOICE)
    ids = [r.headers["X-Netvisor-Authentication-TransactionId"] for r in netvisor.requests]
    assert len(ids) == 4
    assert len(set(ids)) == 4
    assert sleeps == [0.5, 1.0]


def test_a_reused_transaction_id_is_refused_by_the_fake(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    with client(netvisor, netvisor_credentials, sleeps, transaction_id=lambda: "same") as api:
        api.scan(Series.INVOICE)
        with pytest.raises(UpstreamUnavailable) as caught:
            api.scan(Series.INVOICE)
    assert isinstance(caught.value, SourceUnavailable)
    assert caught.value.code == "REQUEST_NOT_UNIQUE"
    assert netvisor.rejected["REQUEST_NOT_UNIQUE"] == 4  # retried, each time refused


def test_request_not_unique_is_retried_with_a_fresh_id(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "order", "12")
    netvisor.fail_next(reply_failed("REQUEST_NOT_UNIQUE"))
    with client(netvisor, netvisor_credentials, sleeps) as api:
        assert api.scan(Series.ORDER).highest_number == 12


def test_a_single_invoice_is_still_a_list(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", "1000024")
    with client(netvisor, netvisor_credentials, sleeps) as api:
        [document] = api.list_documents(Series.INVOICE)
    assert (document.key, document.number, document.invoice_date, document.status) == (
        1,
        1_000_024,
        date(2025, 1, 2),
        "open",
    )


def test_incremental_reads_start_above_the_last_key(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", "100", "101", "102")
    with client(netvisor, netvisor_credentials, sleeps) as api:
        first = api.scan(Series.INVOICE)
        numbers(netvisor, "invoice", "103")
        second = api.scan(Series.INVOICE, above_key=first.last_key)
        third = api.scan(Series.INVOICE, above_key=second.last_key)
    assert (first.highest_number, first.last_key, first.documents) == (102, 3, 3)
    assert (second.highest_number, second.last_key, second.documents) == (103, 4, 1)
    assert (third.highest_number, third.last_key, third.documents) == (None, 4, 0)
    assert third.merged_with(second.merged_with(first.highest_number)) == 103
    assert netvisor.requests[-1].path == "/salesinvoicelist.nv?invoicesabovenetvisorkey=4"


def test_long_lists_are_read_page_by_page(
    netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    with running(FakeNetvisor(page_size=10)) as fake:
        fake.add_partner("partner-1", PARTNER_KEY)
        fake.add_company(NetvisorCompany("customer-1", CUSTOMER_KEY, "partner-1", "1572860-0"))
        numbers(fake, "invoice", *(str(n) for n in range(5000, 5025)))
        with client(fake, netvisor_credentials, sleeps, page_size=10) as api:
            scan = api.scan(Series.INVOICE)
    assert (scan.highest_number, scan.last_key, scan.documents) == (5024, 25, 25)
    assert len(fake.requests) == 3


def test_numbers_are_long_strings_of_digits_and_others_are_counted(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", "99", "123456789012345678901", "HYV-1", "")
    with client(netvisor, netvisor_credentials, sleeps) as api:
        scan = api.scan(Series.INVOICE)
    assert scan.highest_number == 123456789012345678901
    assert scan.non_numeric == 2


@pytest.mark.parametrize(
    ("reply", "kind", "code"),
    [
        (reply_failed("AUTHENTICATION_FAILED"), SourceRejected, "AUTHENTICATION_FAILED"),
        (reply_failed("INVALID_DATA"), SourceRejected, "INVALID_DATA"),
        (reply_failed("SERVICE_ACCESS_ERROR"), SourceRejected, "SERVICE_ACCESS_ERROR"),
        (reply_malformed(), SourceUnavailable, "malformed"),
        (reply_entity_bomb(), SourceUnavailable, "unsafe_xml"),
        (xml_reply(200, "<Nothing/>"), SourceUnavailable, "malformed"),
        (Reply(200, b"", content_type="text/xml"), SourceUnavailable, "malformed"),
        (
            xml_reply(200, "<ResponseStatus><Status>FAILED</Status></ResponseStatus>"),
            SourceRejected,
            "FAILED",
        ),
        (
            xml_reply(
                200,
                "<ResponseStatus><Status>OK</Status></ResponseStatus>"
                "<SalesInvoiceList><SalesInvoice><InvoiceNumber>1</InvoiceNumber>"
                "</SalesInvoice></SalesInvoiceList>",
            ),
            SourceUnavailable,
            "malformed",
        ),
        (Reply(404, b"<html>nope</html>", content_type="text/html"), SourceRejected, "http_404"),
    ],
)
def test_failures_map_to_our_errors(
    netvisor: FakeNetvisor,
    netvisor_credentials: NetvisorCredentials,
    sleeps: Sleeps,
    reply: Reply,
    kind: type[Exception],
    code: str,
) -> None:
    netvisor.fail_next(reply)
    with client(netvisor, netvisor_credentials, sleeps) as api, pytest.raises(kind) as caught:
        api.scan(Series.INVOICE)
    assert caught.value.code == code  # type: ignore[attr-defined]
    assert "details" not in str(caught.value)  # Netvisor's free text is not passed on


@pytest.mark.parametrize(
    "reply",
    [
        reply_failed("SYSTEM_MAINTENANCE"),
        reply_failed("TECHNICAL_ERROR"),
        reply_server_error(500),
        reply_rate_limited("2"),
    ],
)
def test_transient_failures_are_retried(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps, reply: Reply
) -> None:
    numbers(netvisor, "invoice", "31")
    netvisor.fail_next(reply)
    with client(netvisor, netvisor_credentials, sleeps) as api:
        assert api.scan(Series.INVOICE).highest_number == 31
    assert len(sleeps) == 1


def test_a_slow_netvisor_times_out(
    netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    with running(FakeNetvisor(latency=0.3)) as slow:
        slow.add_partner("partner-1", PARTNER_KEY)
        slow.add_company(NetvisorCompany("customer-1", CUSTOMER_KEY, "partner-1", "1572860-0"))
        api = client(slow, netvisor_credentials, sleeps, timeout=httpx.Timeout(0.05))
        with api, pytest.raises(SourceUnavailable) as caught:
            api.scan(Series.INVOICE)
    assert caught.value.code == "timeout"
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)


def test_connection_test_names_the_company_by_business_id(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    with client(netvisor, netvisor_credentials, sleeps) as api:
        assert api.test_connection() == "1572860-0"


def test_one_client_never_overlaps_its_calls(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    numbers(netvisor, "invoice", *(str(n) for n in range(1, 30)))
    with client(netvisor, netvisor_credentials, sleeps) as api:
        for series in itertools.islice(itertools.cycle(Series), 6):
            api.scan(series)
    assert netvisor.overlaps == 0


@freeze_time("2025-06-30 23:59:59.999")
def test_timestamps_come_from_the_clock_in_utc(
    netvisor: FakeNetvisor, netvisor_credentials: NetvisorCredentials, sleeps: Sleeps
) -> None:
    with client(netvisor, netvisor_credentials, sleeps) as api:
        api.scan(Series.INVOICE)
    headers = netvisor.requests[0].headers
    assert headers["X-Netvisor-Authentication-Timestamp"] == "2025-06-30 23:59:59.999"
    assert headers["X-Netvisor-Authentication-TimestampUnix"] == "1751327999"
