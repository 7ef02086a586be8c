"""Reading a whole account from a local Rackbeat over real HTTP: paging, 429, failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.account.reader import AccountReadFailed, ReadStats, read_account
from core.credentials import RackbeatCredentials
from core.sources.rackbeat import RackbeatClient
from tests.core.sources.conftest import NO_JITTER, RACKBEAT_TOKEN, Sleeps
from tests.fakes.rackbeat import FakeRackbeat, json_reply, reply_rate_limited, reply_server_error
from tests.fakes.server import Reply

NOW = datetime(2026, 12, 6, 14, 3, tzinfo=UTC)


def reader(fake: FakeRackbeat, credentials: RackbeatCredentials, sleeps: Sleeps) -> RackbeatClient:
    return RackbeatClient(fake.url, credentials, retry=NO_JITTER, sleep=sleeps)


@pytest.fixture
def account(rackbeat: FakeRackbeat) -> FakeRackbeat:
    made = rackbeat.add_account(RACKBEAT_TOKEN, "Kone ja Rauta Oy")
    lists = made.lists
    for n in range(2500):
        lists.product(f"{1000 + n}", f"Tuote {n}", 1 + n % 2, stock=5.0 if n == 7 else 0.0)
    lists.rows["products"][3]["batch_control"] = {"is_active": True}
    lists.party("suppliers", 501, "Toimittaja Oy", 1)
    lists.party("customers", 10001, "Asiakas Oy", 1)
    return rackbeat


def test_the_whole_account_is_read_page_by_page_at_the_largest_page(
    account: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    stats = ReadStats()
    with reader(account, rackbeat_credentials, sleeps) as client:
        snapshot = read_account(client, lambda: NOW, stats)
    assert snapshot.company == "Kone ja Rauta Oy"
    assert snapshot.read_at == NOW
    assert snapshot.count("products") == 2500
    assert snapshot.count("product_groups") == 2
    assert [r.name for r in snapshot.lists["product_groups"]] == ["Tarvikkeet", "Työkalut"]
    product_pages = [r.path for r in account.requests if r.path.startswith("/api/products?")]
    assert product_pages == [f"/api/products?limit=1000&page={p}" for p in (1, 2, 3)]
    # self + 8 small lists + suppliers + customers + 3 product pages
    assert stats.requests == len(account.requests) == 14
    customer = snapshot.records["customers"][0]
    assert (customer["number"], customer["group"], customer["payment_terms"]) == (
        "10001",
        "1",
        "1",
    )
    products = {p["number"]: p for p in snapshot.records["products"]}
    assert products["1007"]["stock"] == "5"
    assert products["1003"]["batch_tracking"] is True
    assert products["1000"]["group"] == "1"
    assert snapshot.products_with_stock() == 1


def test_a_429_is_waited_out_as_rackbeat_asks_and_the_read_goes_on(
    account: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    account.fail_list("products", reply_rate_limited("7"), times=2)
    with reader(account, rackbeat_credentials, sleeps) as client:
        snapshot = read_account(client, lambda: NOW)
    assert snapshot.count("products") == 2500
    assert sleeps == [7.0, 7.0]


def test_an_outage_on_one_list_names_that_list(
    account: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    account.fail_list("customers", reply_server_error(503), times=10)
    with (
        reader(account, rackbeat_credentials, sleeps) as client,
        pytest.raises(AccountReadFailed) as failed,
    ):
        read_account(client, lambda: NOW)
    assert failed.value.list_name == "customers"
    assert failed.value.code == "http_503"
    assert not failed.value.rejected


@pytest.mark.parametrize(
    ("reply", "what"),
    [
        (json_reply(206, {"data": [], "pages": 1}), "no 'units' list"),
        (json_reply(206, {"units": [{"number": 1}], "pages": 1}), "entry 1 has no name"),
        (json_reply(206, {"units": "kpl", "pages": 1}), "no 'units' list"),
        (json_reply(206, {"units": [], "pages": "many"}), "'pages' is not a whole number"),
        (json_reply(206, [1, 2]), "not a JSON object"),
        (Reply(200, b"<html>Login</html>", content_type="text/html"), "not JSON"),
        (Reply(206, b""), "not JSON"),
    ],
)
def test_an_answer_that_is_not_what_the_docs_say_is_a_named_refusal(
    account: FakeRackbeat,
    rackbeat_credentials: RackbeatCredentials,
    sleeps: Sleeps,
    reply: Reply,
    what: str,
) -> None:
    account.fail_list("units", reply)
    with (
        reader(account, rackbeat_credentials, sleeps) as client,
        pytest.raises(AccountReadFailed) as failed,
    ):
        read_account(client, lambda: NOW)
    assert failed.value.list_name == "units"
    assert failed.value.code == "malformed"
    assert what in failed.value.reason


def test_a_product_with_a_price_that_is_not_a_number_names_the_product(
    account: FakeRackbeat, rackbeat_credentials: RackbeatCredentials, sleeps: Sleeps
) -> None:
    account.account(RACKBEAT_TOKEN).lists.rows["products"][5]["sales_price"] = {"amount": 1}
    with (
        reader(account, rackbeat_credentials, sleeps) as client,
        pytest.raises(AccountReadFailed) as failed,
    ):
        read_account(client, lambda: NOW)
    assert failed.value.list_name == "products"
    assert "1005: 'sales_price' is not a number" in failed.value.reason
