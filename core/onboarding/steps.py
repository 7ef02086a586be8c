"""The onboarding steps: ids, states and the catalogue built from the implementation guide.

The ids are part of the public contract (CONTRACT.md): users type them, the database stores
them and Slack action ids carry them, so they never change. The catalogue's order is the
guide's order; ``depends_on`` says which earlier steps a step builds on (``next`` uses it, and
the state machine's guards read the same steps).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from core.language import Language
from core.onboarding.texts import LocalText


class StepId(StrEnum):
    """The ten steps, in the guide's order."""

    LOGIN = "login"
    SETTINGS = "settings"
    CUSTOMERS = "customers"
    PRODUCTS = "products"
    SUPPLIERS = "suppliers"
    BATCH_SERIAL = "batch_serial"
    INITIAL_BALANCES = "initial_balances"
    ACCESS_RIGHTS = "access_rights"
    PREVIOUS_ORDERS = "previous_orders"
    NUMBERING = "numbering"


class StepState(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


SETTLED: frozenset[StepState] = frozenset({StepState.DONE, StepState.SKIPPED})
"""A settled step needs nothing more: the onboarding is live when every step is settled."""

OPEN: frozenset[StepState] = frozenset({StepState.TODO, StepState.IN_PROGRESS})


class Valuation(StrEnum):
    """The inventory valuation method chosen when Rackbeat is opened."""

    FIFO = "fifo"
    AVERAGE = "average"


@dataclass(frozen=True)
class Step:
    """One step of the guide.

    ``skip_means`` is set exactly for the optional steps: what skipping them stands for
    (for example "records are created as needed").
    """

    id: StepId
    position: int
    title: LocalText
    guide: LocalText
    depends_on: tuple[StepId, ...] = ()
    skip_means: LocalText | None = None
    aliases: tuple[str, ...] = ()

    @property
    def optional(self) -> bool:
        return self.skip_means is not None

    def title_in(self, language: Language) -> str:
        return self.title.get(language)

    def guide_in(self, language: Language) -> str:
        return self.guide.get(language)


_CREATED_AS_NEEDED = LocalText(
    en="records are created in Rackbeat as they are needed",
    fi="tietueet perustetaan Rackbeatiin sitä mukaa kuin niitä tarvitaan",
)

_CATALOGUE: tuple[Step, ...] = (
    Step(
        id=StepId.LOGIN,
        position=1,
        title=LocalText(en="Log in to Rackbeat", fi="Kirjautuminen Rackbeatiin"),
        guide=LocalText(
            en="Open Rackbeat from Netvisor Store and log in. Let the company do this itself, "
            "with a user who has admin-level rights in Netvisor: the integration between "
            "Rackbeat and Netvisor runs on that user's credentials, so a consultant's or an "
            "accounting office's own account is the wrong one.",
            fi="Avaa Rackbeat Netvisor Storesta ja kirjaudu sisään. Yrityksen kannattaa tehdä "
            "tämä itse käyttäjällä, jolla on Netvisorissa pääkäyttäjätason oikeudet: "
            "Rackbeatin ja Netvisorin välinen integraatio toimii tämän käyttäjän tunnuksilla, "
            "joten konsultin tai tilitoimiston oma tunnus on väärä valinta.",
        ),
        aliases=("login", "log in", "kirjautuminen", "kirjaudu", "sisäänkirjautuminen"),
    ),
    Step(
        id=StepId.SETTINGS,
        position=2,
        title=LocalText(en="Company settings", fi="Yrityksen asetukset"),
        guide=LocalText(
            en="Check the company settings before anyone starts working (Rackbeat's settings "
            "guide opens with a summary of the essentials): inventory valuation method, "
            "locations, product groups (VAT, stock-tracked or not), units, payment terms, "
            "layouts and number series. The valuation method, FIFO or average cost, is chosen "
            "when Rackbeat is opened and is fixed by the first inventory transaction: record "
            "it here with `/rackbeat set valuation fifo|average`. Create locations and product "
            "groups before products refer to them.",
            fi="Tarkista yrityksen asetukset, ennen kuin kukaan aloittaa työt (Rackbeatin "
            "asetusohjeen alussa on tiivistelmä tärkeimmistä): varaston arvostusmenetelmä, "
            "varastopaikat, tuoteryhmät (ALV, varastoitava vai ei), yksiköt, maksuehdot, "
            "lomakepohjat ja numerosarjat. Arvostusmenetelmä, FIFO tai keskihinta, valitaan "
            "Rackbeatia avattaessa, ja ensimmäinen varastotapahtuma lukitsee sen: kirjaa se "
            "tänne komennolla `/rackbeat set valuation fifo|average`. Perusta varastopaikat "
            "ja tuoteryhmät, ennen kuin tuotteet viittaavat niihin.",
        ),
        depends_on=(StepId.LOGIN,),
        aliases=("settings", "setup", "asetukset", "yritysasetukset"),
    ),
    Step(
        id=StepId.CUSTOMERS,
        position=3,
        title=LocalText(en="Customer register", fi="Asiakasrekisteri"),
        guide=LocalText(
            en="Import the customers into Rackbeat as a CSV file, or create them as you go: "
            "the import is not compulsory. Drop the CSV in this channel and I will check it "
            "before you import it. Give every customer a payment term, or Netvisor rejects "
            "their orders and invoices. Imported customers reach Netvisor with the nightly "
            "register sync.",
            fi="Tuo asiakkaat Rackbeatiin CSV-tiedostona tai perusta ne sitä mukaa kuin "
            "tarvitaan: tuonti ei ole pakollinen. Jaa CSV-tiedosto tälle kanavalle, niin tarkistan "
            "sen ennen tuontia. Anna jokaiselle asiakkaalle maksuehto, muuten Netvisor hylkää "
            "asiakkaan tilaukset ja laskut. Tuodut asiakkaat siirtyvät Netvisoriin yöllisessä "
            "rekisterisynkronoinnissa.",
        ),
        depends_on=(StepId.SETTINGS,),
        skip_means=_CREATED_AS_NEEDED,
        aliases=("customers", "customer", "asiakkaat", "asiakas"),
    ),
    Step(
        id=StepId.PRODUCTS,
        position=4,
        title=LocalText(en="Product register", fi="Tuoterekisteri"),
        guide=LocalText(
            en="Import the products as a CSV file, or create them as you go. References "
            "(product group, location, supplier) are numbers, never names. Stock balances do "
            "not come with the product import: they are entered later as inventory "
            "adjustments (the initial balances step).",
            fi="Tuo tuotteet CSV-tiedostona tai perusta ne sitä mukaa kuin tarvitaan. "
            "Viittaukset (tuoteryhmä, varastopaikka, toimittaja) annetaan numeroina, ei "
            "niminä. Varastosaldot eivät tule tuotteiden mukana, vaan ne kirjataan myöhemmin "
            "varastonsäätöinä (Alkusaldot-vaihe).",
        ),
        depends_on=(StepId.SETTINGS,),
        skip_means=_CREATED_AS_NEEDED,
        aliases=("products", "product", "tuotteet", "tuote"),
    ),
    Step(
        id=StepId.SUPPLIERS,
        position=5,
        title=LocalText(en="Supplier register", fi="Toimittajarekisteri"),
        guide=LocalText(
            en="Import the suppliers as a CSV file, or create them as you go. Like customers, "
            "each supplier needs a group, a VAT zone and payment terms; I check IBANs too.",
            fi="Tuo toimittajat CSV-tiedostona tai perusta ne sitä mukaa kuin tarvitaan. "
            "Asiakkaiden tapaan jokainen toimittaja tarvitsee ryhmän, ALV-alueen ja "
            "maksuehdon; tarkistan myös IBAN-numerot.",
        ),
        depends_on=(StepId.SETTINGS,),
        skip_means=_CREATED_AS_NEEDED,
        aliases=("suppliers", "supplier", "vendors", "toimittajat", "toimittaja"),
    ),
    Step(
        id=StepId.BATCH_SERIAL,
        position=6,
        title=LocalText(en="Batch tracking and serial numbers", fi="Eräseuranta ja sarjanumerot"),
        guide=LocalText(
            en="Only if you need them. Add the add-ons (Add-ons → Serial numbers, Batch "
            "tracking), then switch tracking on product by product on the product card. Do it "
            "before the product has any inventory transaction, at the latest before it has a "
            "balance: Rackbeat cannot switch it on later for a product that already has "
            "transactions. Serial numbers work only on stock-tracked products. The prices on "
            "the add-on page need no attention.",
            fi="Vain jos tarvitset niitä. Ota lisäosat käyttöön (Lisäosat → Sarjanumerot, "
            "Eräseuranta) ja ota seuranta käyttöön tuote kerrallaan tuotekortilla. Tee se, "
            "ennen kuin tuotteella on yhtään varastotapahtumaa, viimeistään ennen kuin sillä "
            "on saldoa: Rackbeatissa seurantaa ei voi ottaa jälkikäteen käyttöön tuotteelle, "
            "jolla on jo varastotapahtumia. Sarjanumerot toimivat vain varastoitavilla "
            "tuotteilla. Lisäosasivun hinnoista ei tarvitse välittää.",
        ),
        depends_on=(StepId.SETTINGS, StepId.PRODUCTS),
        skip_means=LocalText(
            en="batch tracking and serial numbers are not needed",
            fi="eräseurantaa ja sarjanumeroita ei tarvita",
        ),
        aliases=(
            "batch serial",
            "batch and serial",
            "batch and serial numbers",
            "batch",
            "batches",
            "serial",
            "serials",
            "serial numbers",
            "batch tracking",
            "erät",
            "erä",
            "eräseuranta",
            "sarjanumerot",
            "sarjanumero",
            "erät ja sarjanumerot",
            "erä ja sarjanumerot",
        ),
    ),
    Step(
        id=StepId.INITIAL_BALANCES,
        position=7,
        title=LocalText(en="Initial balances", fi="Alkusaldot"),
        guide=LocalText(
            en="Enter the opening stock as inventory adjustments: import a CSV (Rackbeat's "
            'inventory guide, "Inventory entry using CSV file") or, for a small register, '
            "create them by hand (Inventory → Inventory transactions → Create inventory "
            "transaction). Imported adjustments stay drafts until you book them with "
            '"Record all". Settle batch tracking and serial numbers before you start.',
            fi="Kirjaa alkusaldot varastonsäätöinä: tuo CSV-tiedosto (Rackbeatin "
            'inventointiohjeen kohta "Inventointi CSV-tiedostolla") tai, jos rekisteri on '
            "pieni, kirjaa ne käsin (Varasto → Varastotapahtumat → Luo varastotapahtuma). "
            "Tuodut varastonsäädöt ovat luonnoksia, kunnes kirjaat ne "
            '"Kirjaa kaikki" -toiminnolla. Päätä eräseurannasta ja sarjanumeroista, ennen kuin '
            "aloitat.",
        ),
        depends_on=(StepId.SETTINGS, StepId.PRODUCTS, StepId.BATCH_SERIAL),
        aliases=(
            "initial balances",
            "initial balance",
            "opening balances",
            "balances",
            "inventory",
            "stock",
            "alkusaldot",
            "alkusaldo",
            "saldot",
            "inventointi",
        ),
    ),
    Step(
        id=StepId.ACCESS_RIGHTS,
        position=8,
        title=LocalText(en="Users and access rights", fi="Käyttäjät ja käyttöoikeudet"),
        guide=LocalText(
            en="Add the company's other users in Rackbeat and give each the rights their "
            "work needs (Rackbeat settings → Users).",
            fi="Lisää yrityksen muut käyttäjät Rackbeatiin ja anna kullekin työn vaatimat "
            "oikeudet (Rackbeatin asetukset → Käyttäjät).",
        ),
        depends_on=(StepId.LOGIN,),
        aliases=(
            "access rights",
            "access",
            "rights",
            "users",
            "käyttöoikeudet",
            "oikeudet",
            "käyttäjät",
        ),
    ),
    Step(
        id=StepId.PREVIOUS_ORDERS,
        position=9,
        title=LocalText(en="Orders already in Netvisor", fi="Netvisorin aiemmat tilaukset"),
        guide=LocalText(
            en="If Netvisor already holds sales orders, process and invoice them in Netvisor "
            "before you start working in Rackbeat, so nothing is half-way in two systems on "
            "the day you go live. Skip this step if there are none.",
            fi="Jos Netvisorissa on jo myyntitilauksia, käsittele ja laskuta ne Netvisorissa, "
            "ennen kuin aloitat työt Rackbeatissa, jottei mikään jää kesken kahteen "
            "järjestelmään käyttöönottopäivänä. Ohita vaihe, jos tilauksia ei ole.",
        ),
        depends_on=(StepId.LOGIN,),
        skip_means=LocalText(
            en="there are no orders in Netvisor", fi="Netvisorissa ei ole tilauksia"
        ),
        aliases=(
            "previous orders",
            "orders",
            "old orders",
            "open orders",
            "aiemmat tilaukset",
            "vanhat tilaukset",
            "tilaukset",
        ),
    ),
    Step(
        id=StepId.NUMBERING,
        position=10,
        title=LocalText(en="Order and invoice numbering", fi="Tilaus- ja laskunumerointi"),
        guide=LocalText(
            en="Make sure the sales order and sales invoice numbers of Rackbeat and Netvisor "
            "never overlap: an invoice keeps its Rackbeat number in Netvisor, and a number "
            "Netvisor already has makes the transfer fail. If every document will be made in "
            "Rackbeat, set Rackbeat's next numbers (Company settings → General → Numbers) "
            "above every number used in Netvisor. If some are still made in Netvisor, move "
            "Netvisor's own numbers once to a block far above Rackbeat's. "
            "`/rackbeat numbering` shows both series; the step can be done when both are OK.",
            fi="Varmista, etteivät Rackbeatin ja Netvisorin myyntitilausten ja -laskujen "
            "numerot koskaan mene päällekkäin: lasku säilyttää Rackbeatin numeronsa "
            "Netvisorissa, ja jos numero on Netvisorissa jo käytössä, siirto epäonnistuu. "
            "Jos kaikki tositteet tehdään jatkossa Rackbeatissa, aseta Rackbeatin seuraavat "
            "numerot "
            "(Yrityksen asetukset → Yleiset → Numerot) suuremmiksi kuin mikään Netvisorissa "
            "käytetty. Jos osa tehdään yhä Netvisorissa, siirrä Netvisorin omat numerot "
            "kerran reilusti Rackbeatin numeroiden yläpuolelle. `/rackbeat numbering` näyttää "
            "molemmat sarjat; vaiheen voi merkitä tehdyksi, kun kumpikin on kunnossa.",
        ),
        depends_on=(StepId.SETTINGS,),
        aliases=(
            "numbering",
            "numbers",
            "number series",
            "numerointi",
            "numerot",
            "numerosarjat",
            "laskunumerot",
        ),
    ),
)

CATALOGUE: Mapping[StepId, Step] = {step.id: step for step in _CATALOGUE}
STEPS: tuple[Step, ...] = _CATALOGUE
OPTIONAL_STEPS: frozenset[StepId] = frozenset(s.id for s in _CATALOGUE if s.optional)
REQUIRED_STEPS: frozenset[StepId] = frozenset(s.id for s in _CATALOGUE if not s.optional)


def step(step_id: StepId) -> Step:
    """The catalogue entry of ``step_id``."""
    return CATALOGUE[step_id]


def _validate_catalogue() -> None:
    """Refuse at import a catalogue that contradicts itself (a programming error)."""
    ids = [s.id for s in _CATALOGUE]
    if ids != list(StepId):
        raise AssertionError("the catalogue must list every StepId once, in the guide's order")
    if [s.position for s in _CATALOGUE] != list(range(1, len(_CATALOGUE) + 1)):
        raise AssertionError("step positions must run 1..n in the guide's order")
    seen: set[StepId] = set()
    for entry in _CATALOGUE:
        # Dependencies point backwards in the guide's order, so the graph has no cycles
        # and the guide's order is always a valid order to work in.
        late = [dep for dep in entry.depends_on if dep not in seen]
        if late:
            raise AssertionError(f"{entry.id} depends on later or unknown steps: {late}")
        seen.add(entry.id)


_validate_catalogue()
