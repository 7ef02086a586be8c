"""The steps in words: each step's title, guide text and what skipping it means (English and
Finnish), and the other names people type for it.

``core.onboarding.steps`` keeps the steps as data (ids, order, dependencies, which may be
skipped); every word about them is here. Keys: ``step.<id>.title``, ``step.<id>.guide`` and,
for the optional steps, ``step.<id>.skip_means`` ("skip it if …").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from core.onboarding.steps import StepId

_CREATED_AS_NEEDED = {
    "en": "records are created in Rackbeat as they are needed",
    "fi": "tietueet perustetaan Rackbeatiin sitä mukaa kuin niitä tarvitaan",
}

MESSAGES: dict[str, dict[str, str]] = {
    "step.login.title": {
        "en": "Log in to Rackbeat",
        "fi": "Kirjautuminen Rackbeatiin",
    },
    "step.login.guide": {
        "en": "Open Rackbeat from Netvisor Store and log in. Let the company do this itself, "
        "with a user who has admin-level rights in Netvisor: the integration between "
        "Rackbeat and Netvisor runs on that user's credentials, so a consultant's or an "
        "accounting office's own account is the wrong one.",
        "fi": "Avaa Rackbeat Netvisor Storesta ja kirjaudu sisään. Yrityksen kannattaa tehdä "
        "tämä itse käyttäjällä, jolla on Netvisorissa pääkäyttäjätason oikeudet: "
        "Rackbeatin ja Netvisorin välinen integraatio toimii tämän käyttäjän tunnuksilla, "
        "joten konsultin tai tilitoimiston oma tunnus on väärä valinta.",
    },
    "step.settings.title": {
        "en": "Company settings",
        "fi": "Yrityksen asetukset",
    },
    "step.settings.guide": {
        "en": "Check the company settings before anyone starts working (Rackbeat's settings "
        "guide opens with a summary of the essentials): inventory valuation method, "
        "locations, product groups (VAT, stock-tracked or not), units, payment terms, "
        "layouts and number series. The valuation method, FIFO or average cost, is chosen "
        "when Rackbeat is opened and is fixed by the first inventory transaction: record "
        "it here with `/rackbeat set valuation fifo|average`. Create locations and product "
        "groups before products refer to them.",
        "fi": "Tarkista yrityksen asetukset, ennen kuin kukaan aloittaa työt (Rackbeatin "
        "asetusohjeen alussa on tiivistelmä tärkeimmistä): varaston arvostusmenetelmä, "
        "varastopaikat, tuoteryhmät (ALV, varastoitava vai ei), yksiköt, maksuehdot, "
        "lomakepohjat ja numerosarjat. Arvostusmenetelmä, FIFO tai keskihinta, valitaan "
        "Rackbeatia avattaessa, ja ensimmäinen varastotapahtuma lukitsee sen: kirjaa se "
        "tänne komennolla `/rackbeat set valuation fifo|average`. Perusta varastopaikat "
        "ja tuoteryhmät, ennen kuin tuotteet viittaavat niihin.",
    },
    "step.customers.title": {
        "en": "Customer register",
        "fi": "Asiakasrekisteri",
    },
    "step.customers.guide": {
        "en": "Import the customers into Rackbeat as a CSV file, or create them as you go: "
        "the import is not compulsory. Drop the CSV in this channel and I will check it "
        "before you import it. Give every customer a payment term, or Netvisor rejects "
        "their orders and invoices. Imported customers reach Netvisor with the nightly "
        "register sync.",
        "fi": "Tuo asiakkaat Rackbeatiin CSV-tiedostona tai perusta ne sitä mukaa kuin "
        "tarvitaan: tuonti ei ole pakollinen. Jaa CSV-tiedosto tälle kanavalle, niin tarkistan "
        "sen ennen tuontia. Anna jokaiselle asiakkaalle maksuehto, muuten Netvisor hylkää "
        "asiakkaan tilaukset ja laskut. Tuodut asiakkaat siirtyvät Netvisoriin yöllisessä "
        "rekisterisynkronoinnissa.",
    },
    "step.customers.skip_means": _CREATED_AS_NEEDED,
    "step.products.title": {
        "en": "Product register",
        "fi": "Tuoterekisteri",
    },
    "step.products.guide": {
        "en": "Import the products as a CSV file, or create them as you go. References "
        "(product group, location, supplier) are numbers, never names. Stock balances do "
        "not come with the product import: they are entered later as inventory "
        "adjustments (the initial balances step).",
        "fi": "Tuo tuotteet CSV-tiedostona tai perusta ne sitä mukaa kuin tarvitaan. "
        "Viittaukset (tuoteryhmä, varastopaikka, toimittaja) annetaan numeroina, ei "
        "niminä. Varastosaldot eivät tule tuotteiden mukana, vaan ne kirjataan myöhemmin "
        "varastonsäätöinä (Alkusaldot-vaihe).",
    },
    "step.products.skip_means": _CREATED_AS_NEEDED,
    "step.suppliers.title": {
        "en": "Supplier register",
        "fi": "Toimittajarekisteri",
    },
    "step.suppliers.guide": {
        "en": "Import the suppliers as a CSV file, or create them as you go. Like customers, "
        "each supplier needs a group, a VAT zone and payment terms; I check IBANs too.",
        "fi": "Tuo toimittajat CSV-tiedostona tai perusta ne sitä mukaa kuin tarvitaan. "
        "Asiakkaiden tapaan jokainen toimittaja tarvitsee ryhmän, ALV-alueen ja "
        "maksuehdon; tarkistan myös IBAN-numerot.",
    },
    "step.suppliers.skip_means": _CREATED_AS_NEEDED,
    "step.batch_serial.title": {
        "en": "Batch tracking and serial numbers",
        "fi": "Eräseuranta ja sarjanumerot",
    },
    "step.batch_serial.guide": {
        "en": "Only if you need them. Add the add-ons (Add-ons → Serial numbers, Batch "
        "tracking), then switch tracking on product by product on the product card. Do it "
        "before the product has any inventory transaction, at the latest before it has a "
        "balance: Rackbeat cannot switch it on later for a product that already has "
        "transactions. Serial numbers work only on stock-tracked products. The prices on "
        "the add-on page need no attention.",
        "fi": "Vain jos tarvitset niitä. Ota lisäosat käyttöön (Lisäosat → Sarjanumerot, "
        "Eräseuranta) ja ota seuranta käyttöön tuote kerrallaan tuotekortilla. Tee se, "
        "ennen kuin tuotteella on yhtään varastotapahtumaa, viimeistään ennen kuin sillä "
        "on saldoa: Rackbeatissa seurantaa ei voi ottaa jälkikäteen käyttöön tuotteelle, "
        "jolla on jo varastotapahtumia. Sarjanumerot toimivat vain varastoitavilla "
        "tuotteilla. Lisäosasivun hinnoista ei tarvitse välittää.",
    },
    "step.batch_serial.skip_means": {
        "en": "batch tracking and serial numbers are not needed",
        "fi": "eräseurantaa ja sarjanumeroita ei tarvita",
    },
    "step.initial_balances.title": {
        "en": "Initial balances",
        "fi": "Alkusaldot",
    },
    "step.initial_balances.guide": {
        "en": "Enter the opening stock as inventory adjustments: import a CSV (Rackbeat's "
        'inventory guide, "Inventory entry using CSV file") or, for a small register, '
        "create them by hand (Inventory → Inventory transactions → Create inventory "
        "transaction). Imported adjustments stay drafts until you book them with "
        '"Record all". Settle batch tracking and serial numbers before you start.',
        "fi": "Kirjaa alkusaldot varastonsäätöinä: tuo CSV-tiedosto (Rackbeatin "
        'inventointiohjeen kohta "Inventointi CSV-tiedostolla") tai, jos rekisteri on '
        "pieni, kirjaa ne käsin (Varasto → Varastotapahtumat → Luo varastotapahtuma). "
        "Tuodut varastonsäädöt ovat luonnoksia, kunnes kirjaat ne "
        '"Kirjaa kaikki" -toiminnolla. Päätä eräseurannasta ja sarjanumeroista, ennen kuin '
        "aloitat.",
    },
    "step.access_rights.title": {
        "en": "Users and access rights",
        "fi": "Käyttäjät ja käyttöoikeudet",
    },
    "step.access_rights.guide": {
        "en": "Add the company's other users in Rackbeat and give each the rights their "
        "work needs (Rackbeat settings → Users).",
        "fi": "Lisää yrityksen muut käyttäjät Rackbeatiin ja anna kullekin työn vaatimat "
        "oikeudet (Rackbeatin asetukset → Käyttäjät).",
    },
    "step.previous_orders.title": {
        "en": "Orders already in Netvisor",
        "fi": "Netvisorin aiemmat tilaukset",
    },
    "step.previous_orders.guide": {
        "en": "If Netvisor already holds sales orders, process and invoice them in Netvisor "
        "before you start working in Rackbeat, so nothing is half-way in two systems on "
        "the day you go live. Skip this step if there are none.",
        "fi": "Jos Netvisorissa on jo myyntitilauksia, käsittele ja laskuta ne Netvisorissa, "
        "ennen kuin aloitat työt Rackbeatissa, jottei mikään jää kesken kahteen "
        "järjestelmään käyttöönottopäivänä. Ohita vaihe, jos tilauksia ei ole.",
    },
    "step.previous_orders.skip_means": {
        "en": "there are no orders in Netvisor",
        "fi": "Netvisorissa ei ole tilauksia",
    },
    "step.numbering.title": {
        "en": "Order and invoice numbering",
        "fi": "Tilaus- ja laskunumerointi",
    },
    "step.numbering.guide": {
        "en": "Make sure the sales order and sales invoice numbers of Rackbeat and Netvisor "
        "never overlap: an invoice keeps its Rackbeat number in Netvisor, and a number "
        "Netvisor already has makes the transfer fail. If every document will be made in "
        "Rackbeat, set Rackbeat's next numbers (Company settings → General → Numbers) "
        "above every number used in Netvisor. If some are still made in Netvisor, move "
        "Netvisor's own numbers once to a block far above Rackbeat's. "
        "`/rackbeat numbering` shows both series; the step can be done when both are OK.",
        "fi": "Varmista, etteivät Rackbeatin ja Netvisorin myyntitilausten ja -laskujen "
        "numerot koskaan mene päällekkäin: lasku säilyttää Rackbeatin numeronsa "
        "Netvisorissa, ja jos numero on Netvisorissa jo käytössä, siirto epäonnistuu. "
        "Jos kaikki tositteet tehdään jatkossa Rackbeatissa, aseta Rackbeatin seuraavat "
        "numerot "
        "(Yrityksen asetukset → Yleiset → Numerot) suuremmiksi kuin mikään Netvisorissa "
        "käytetty. Jos osa tehdään yhä Netvisorissa, siirrä Netvisorin omat numerot "
        "kerran reilusti Rackbeatin numeroiden yläpuolelle. `/rackbeat numbering` näyttää "
        "molemmat sarjat; vaiheen voi merkitä tehdyksi, kun kumpikin on kunnossa.",
    },
}

ALIASES: Mapping[StepId, tuple[str, ...]] = MappingProxyType(
    {
        StepId.LOGIN: ("login", "log in", "kirjautuminen", "kirjaudu", "sisäänkirjautuminen"),
        StepId.SETTINGS: ("settings", "setup", "asetukset", "yritysasetukset"),
        StepId.CUSTOMERS: ("customers", "customer", "asiakkaat", "asiakas"),
        StepId.PRODUCTS: ("products", "product", "tuotteet", "tuote"),
        StepId.SUPPLIERS: ("suppliers", "supplier", "vendors", "toimittajat", "toimittaja"),
        StepId.BATCH_SERIAL: (
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
        StepId.INITIAL_BALANCES: (
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
        StepId.ACCESS_RIGHTS: (
            "access rights",
            "access",
            "rights",
            "users",
            "käyttöoikeudet",
            "oikeudet",
            "käyttäjät",
        ),
        StepId.PREVIOUS_ORDERS: (
            "previous orders",
            "orders",
            "old orders",
            "open orders",
            "aiemmat tilaukset",
            "vanhat tilaukset",
            "tilaukset",
        ),
        StepId.NUMBERING: (
            "numbering",
            "numbers",
            "number series",
            "numerointi",
            "numerot",
            "numerosarjat",
            "laskunumerot",
        ),
    }
)
"""What people type for a step besides its id, its number and its titles (any case, accents
optional: ``handlers.onboarding_parsing`` normalises)."""
