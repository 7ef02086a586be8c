"""Both fakes at once, with companies whose credentials work: for tests and the benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pydantic import SecretStr

from core.credentials import NetvisorCredentials, RackbeatCredentials
from tests.fakes.netvisor import FakeNetvisor, NetvisorCompany
from tests.fakes.rackbeat import FakeRackbeat

PARTNER_ID = "partner-test"
PARTNER_KEY = "partner-key-test-0001"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id(n: int) -> str:
    """The ``n``-th valid Finnish business id (check digit per domain.md)."""
    for base in (1_000_000 + n, 5_000_000 + n):  # distinct for n below four million
        digits = f"{base:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
        if remainder != 1:
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
    raise AssertionError(f"no business id for {n}")


@dataclass
class Company:
    rackbeat: RackbeatCredentials
    netvisor: NetvisorCredentials
    token: str
    customer_id: str


def company(n: int) -> Company:
    """The credentials of the ``n``-th fake company (the same in every process)."""
    token = f"token-{n:05d}-secret"
    customer_id = f"customer-{n:05d}"
    return Company(
        RackbeatCredentials(api_token=SecretStr(token)),
        NetvisorCredentials(
            customer_id=customer_id,
            customer_key=SecretStr(f"customer-key-{n:05d}"),
            partner_id=PARTNER_ID,
            partner_key=SecretStr(PARTNER_KEY),
            organisation_id=business_id(n),
        ),
        token,
        customer_id,
    )


@dataclass
class FakeUpstreams:
    rackbeat: FakeRackbeat
    netvisor: FakeNetvisor

    def add_company(
        self,
        n: int,
        *,
        rackbeat_invoice: int | None = None,
        rackbeat_order: int | None = None,
        netvisor_invoices: tuple[int, ...] = (),
        netvisor_orders: tuple[int, ...] = (),
        name: str | None = None,
    ) -> Company:
        made = company(n)
        self.rackbeat.add_account(
            made.token, name or f"Yritys {n} Oy", invoice=rackbeat_invoice, order=rackbeat_order
        )
        keys = made.netvisor
        self.netvisor.add_company(
            NetvisorCompany(
                made.customer_id,
                keys.customer_key.get_secret_value(),
                PARTNER_ID,
                keys.organisation_id,
            )
        )
        for number in netvisor_invoices:
            self.netvisor.add_document(made.customer_id, "invoice", str(number))
        for number in netvisor_orders:
            self.netvisor.add_document(made.customer_id, "order", str(number))
        return made


@contextmanager
def fake_upstreams(latency: float = 0.0) -> Iterator[FakeUpstreams]:
    rackbeat = FakeRackbeat(latency).start()
    netvisor = FakeNetvisor(latency).start()
    netvisor.add_partner(PARTNER_ID, PARTNER_KEY)
    try:
        yield FakeUpstreams(rackbeat, netvisor)
    finally:
        rackbeat.stop()
        netvisor.stop()
