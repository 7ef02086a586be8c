"""Strings of the account view (`/rackbeat account`), its notes in file replies, and the
steps verified from the account."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the lists, as words --------------------------------------------------------------
    "account.list.self": {"en": "the company", "fi": "yrityksen tiedot"},
    "account.list.product_groups": {"en": "product groups", "fi": "tuoteryhmät"},
    "account.list.customer_groups": {"en": "customer groups", "fi": "asiakasryhmät"},
    "account.list.supplier_groups": {"en": "supplier groups", "fi": "toimittajaryhmät"},
    "account.list.units": {"en": "units", "fi": "yksiköt"},
    "account.list.locations": {"en": "locations", "fi": "varastopaikat"},
    "account.list.payment_terms": {"en": "payment terms", "fi": "maksuehdot"},
    "account.list.layouts": {"en": "layouts", "fi": "lomakepohjat"},
    "account.list.employees": {"en": "employees", "fi": "käyttäjät"},
    "account.list.products": {"en": "products", "fi": "tuotteet"},
    "account.list.customers": {"en": "customers", "fi": "asiakkaat"},
    "account.list.suppliers": {"en": "suppliers", "fi": "toimittajat"},
    # --- the view -------------------------------------------------------------------------
    "account.title": {
        "en": ":mag: *What I see in Rackbeat: {company}* (read {when})",
        "fi": ":mag: *Näin näen Rackbeat-tilin: {company}* (luettu {when})",
    },
    "account.not_connected": {
        "en": "Rackbeat is not connected here, so I can't look into the account. "
        "Connect it with `/rackbeat connect rackbeat`.",
        "fi": "Rackbeatia ei ole yhdistetty tälle kanavalle, joten en näe tiliä. "
        "Yhdistä se komennolla `/rackbeat connect rackbeat`.",
    },
    "account.never_read": {
        "en": "I haven't read the Rackbeat account yet: press *Refresh*.",
        "fi": "En ole vielä lukenut Rackbeat-tiliä: paina *Päivitä*.",
    },
    "account.counts": {"en": "*In the account:* {counts}", "fi": "*Tilillä:* {counts}"},
    "account.has": {"en": "*What the account has:*", "fi": "*Mitä tilillä on:*"},
    "account.none_yet": {"en": "none yet", "fi": "ei vielä yhtään"},
    "account.valuation": {
        "en": "Valuation method: {method} (as recorded with `/rackbeat set valuation`; "
        "Rackbeat's API does not show it).",
        "fi": "Arvostusmenetelmä: {method} (kirjattu komennolla `/rackbeat set valuation`; "
        "Rackbeatin rajapinta ei näytä sitä).",
    },
    "account.valuation.unknown": {
        "en": "Valuation method: not recorded yet: `/rackbeat set valuation fifo|average` "
        "(Rackbeat's API does not show it).",
        "fi": "Arvostusmenetelmää ei ole vielä kirjattu: `/rackbeat set valuation fifo|average` "
        "(Rackbeatin rajapinta ei näytä sitä).",
    },
    "account.stock": {
        "en": "{count} products have stock: their batch and serial tracking can no longer "
        "be switched on.",
        "fi": "{count} tuotteella on saldoa: niiden erä- ja sarjanumeroseurantaa ei voi "
        "enää ottaa käyttöön.",
    },
    "account.missing": {
        "en": ":warning: *Still missing for your files:* {lists}. Create them in Rackbeat "
        "before importing.",
        "fi": ":warning: *Tiedostoillesi puuttuu vielä:* {lists}. Luo ne Rackbeatiin "
        "ennen tuontia.",
    },
    "account.unknown_references": {
        "en": ":warning: *Your files point at what the account does not have:* {items}. "
        "Create them in Rackbeat or fix the files.",
        "fi": ":warning: *Tiedostosi viittaavat asioihin, joita tilillä ei ole:* {items}. "
        "Luo ne Rackbeatiin tai korjaa tiedostot.",
    },
    "account.failed": {
        "en": ":warning: The last read failed: I could not read {list} from Rackbeat "
        "({reason}, {when}). What you see is the snapshot read {age}.",
        "fi": ":warning: Viimeisin luku epäonnistui: en saanut luettua Rackbeatista "
        "kohdetta {list} ({reason}, {when}). Näet tilanteen, joka luettiin {age}.",
    },
    "account.failed.none": {
        "en": ":warning: I could not read {list} from Rackbeat ({reason}, {when}), and I have "
        "no earlier snapshot.",
        "fi": ":warning: En saanut luettua Rackbeatista kohdetta {list} ({reason}, {when}), "
        "eikä minulla ole aiempaa tilannetta.",
    },
    "account.orders.open": {
        "en": "*Netvisor:* {count} sales orders still open: {numbers} (read {when}).",
        "fi": "*Netvisor:* {count} myyntitilausta yhä avoinna: {numbers} (luettu {when}).",
    },
    "account.orders.none": {
        "en": "*Netvisor:* no open sales orders (read {when}).",
        "fi": "*Netvisor:* ei avoimia myyntitilauksia (luettu {when}).",
    },
    "account.orders.failed": {
        "en": ":warning: I could not read Netvisor's sales orders: {reason}",
        "fi": ":warning: En saanut luettua Netvisorin myyntitilauksia: {reason}",
    },
    "account.button.refresh": {"en": "Refresh", "fi": "Päivitä"},
    "account.reading": {
        "en": ":hourglass_flowing_sand: Reading the Rackbeat account…",
        "fi": ":hourglass_flowing_sand: Luen Rackbeat-tiliä…",
    },
    "account.usage": {
        "en": "Use `/rackbeat account`, `/rackbeat account refresh` or `/rackbeat account export`.",
        "fi": "Käytä komentoa `/rackbeat account`, `/rackbeat account refresh` tai "
        "`/rackbeat account export`.",
    },
    "account.export.comment": {
        "en": "The Rackbeat account as I read it ({when}). Check files against it offline: "
        "`python -m bot validate FILE --account {filename}`",
        "fi": "Rackbeat-tili sellaisena kuin sen luin ({when}). Tarkista tiedostot sitä vasten "
        "ilman Slackia: `python -m bot validate TIEDOSTO --account {filename}`",
    },
    "account.export.posted": {
        "en": "{who} exported the Rackbeat account snapshot: the file is in this thread.",
        "fi": "{who} vei Rackbeat-tilin tilannekuvan: tiedosto on tässä ketjussa.",
    },
    "account.export.nothing": {
        "en": "There is no snapshot to export yet: `/rackbeat account refresh` reads one.",
        "fi": "Vietävää tilannekuvaa ei vielä ole: `/rackbeat account refresh` lukee sen.",
    },
    # --- notes in file replies ------------------------------------------------------------
    "account.note.not_checked": {
        "en": "References were not checked against the Rackbeat account: connect it with "
        "`/rackbeat connect rackbeat` to check groups, units, locations and existing records.",
        "fi": "Viittauksia ei tarkistettu Rackbeat-tiliä vasten: yhdistä tili komennolla "
        "`/rackbeat connect rackbeat`, niin tarkistan ryhmät, yksiköt, varastopaikat ja "
        "olemassa olevat tietueet.",
    },
    "account.note.checked": {
        "en": "Checked against Rackbeat ({company}, read {when}): {existing} rows already "
        "exist there, {changing} of them would change existing records.",
        "fi": "Tarkistettu Rackbeat-tiliä vasten ({company}, luettu {when}): {existing} riviä "
        "on jo Rackbeatissa, ja niistä {changing} muuttaisi olemassa olevia tietoja.",
    },
    "account.note.stale": {
        "en": ":warning: I could not read {list} from Rackbeat just now ({reason}), so the "
        "file was checked against the snapshot read {age}.",
        "fi": ":warning: En saanut juuri nyt luettua Rackbeatista kohdetta {list} ({reason}), "
        "joten tarkistin tiedoston tilannetta vasten, joka luettiin {age}.",
    },
    "account.note.unread": {
        "en": ":warning: I could not read {list} from Rackbeat ({reason}): references were "
        "not checked against the account.",
        "fi": ":warning: En saanut luettua Rackbeatista kohdetta {list} ({reason}): "
        "viittauksia ei tarkistettu tiliä vasten.",
    },
    # --- steps verified from the account --------------------------------------------------
    "account.verified": {
        "en": "verified in Rackbeat, {when}",
        "fi": "tarkistettu Rackbeatista {when}",
    },
}
