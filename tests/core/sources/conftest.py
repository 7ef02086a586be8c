from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from core.credentials import NetvisorCredentials, RackbeatCredentials
from core.sources.http import RetryPolicy
from tests.fakes.netvisor import FakeNetvisor, NetvisorCompany
from tests.fakes.rackbeat import FakeRackbeat
from tests.fakes.server import running

RACKBEAT_TOKEN = "rb-token-7f3a9c"
CUSTOMER_KEY = "customer-key-5e1d"
PARTNER_KEY = "partner-key-88b2"
BUSINESS_ID = "1572860-0"

NO_JITTER = RetryPolicy(attempts=4, base_delay=0.5, max_delay=30.0, jitter=False)


class Sleeps(list[float]):
    """Stands in for ``time.sleep``: records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def rackbeat() -> Iterator[FakeRackbeat]:
    with running(FakeRackbeat()) as fake:
        yield fake


@pytest.fixture
def rackbeat_credentials() -> RackbeatCredentials:
    return RackbeatCredentials(api_token=SecretStr(RACKBEAT_TOKEN))


@pytest.fixture
def netvisor() -> Iterator[FakeNetvisor]:
    with running(FakeNetvisor()) as fake:
        fake.add_partner("partner-1", PARTNER_KEY)
        fake.add_company(NetvisorCompany("customer-1", CUSTOMER_KEY, "partner-1", BUSINESS_ID))
        yield fake


@pytest.fixture
def netvisor_credentials() -> NetvisorCredentials:
    return NetvisorCredentials(
        customer_id="customer-1",
        customer_key=SecretStr(CUSTOMER_KEY),
        partner_id="partner-1",
        partner_key=SecretStr(PARTNER_KEY),
        organisation_id=BUSINESS_ID,
    )
