"""Strings of the numbering watch: status, alerts, modals, command answers and refusals."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- words ----------------------------------------------------------------------------
    "numbering.series.order": {"en": "Sales orders", "fi": "Myyntitilaukset"},
    "numbering.series.invoice": {"en": "Sales invoices", "fi": "Myyntilaskut"},
    "numbering.level.ok": {"en": "OK", "fi": "kunnossa"},
    "numbering.level.warning": {"en": "warning", "fi": "varoitus"},
    "numbering.level.critical": {"en": "critical", "fi": "kriittinen"},
    "numbering.level.collision": {"en": "collision", "fi": "päällekkäisyys"},
    "numbering.level.unknown": {"en": "unknown", "fi": "ei tiedossa"},
    "numbering.strategy.rackbeat-only": {
        "en": "Rackbeat only",
        "fi": "vain Rackbeat",
    },
    "numbering.strategy.mixed": {
        "en": "both (Netvisor numbers from its own block)",
        "fi": "molemmat (Netvisor numeroi omasta lohkostaan)",
    },
    # Counts: ``.one`` for exactly 1 (“1 numero”), ``.other`` for the rest (formatting.tn).
    "numbering.count.numbers.one": {"en": "{count} number", "fi": "{count} numero"},
    "numbering.count.numbers.other": {"en": "{count} numbers", "fi": "{count} numeroa"},
    "numbering.count.days.one": {"en": "{count} day", "fi": "{count} päivä"},
    "numbering.count.days.other": {"en": "{count} days", "fi": "{count} päivää"},
    "numbering.field.rackbeat-next": {
        "en": "Rackbeat's next number",
        "fi": "Rackbeatin seuraava numero",
    },
    "numbering.field.netvisor-max": {
        "en": "Netvisor's largest number",
        "fi": "Netvisorin suurin numero",
    },
    "numbering.field.netvisor-block-start": {
        "en": "Netvisor's block start",
        "fi": "Netvisorin lohkon alku",
    },
    "numbering.source.manual": {"en": "typed", "fi": "syötetty"},
    "numbering.source.rackbeat": {"en": "Rackbeat", "fi": "Rackbeat"},
    "numbering.source.netvisor": {"en": "Netvisor", "fi": "Netvisor"},
    "numbering.age.now": {"en": "just now", "fi": "juuri nyt"},
    "numbering.age.minutes": {"en": "{n} min ago", "fi": "{n} min sitten"},
    "numbering.age.hours": {"en": "{n} h ago", "fi": "{n} t sitten"},
    "numbering.age.days": {"en": "{n} d ago", "fi": "{n} pv sitten"},
    # --- the status message ----------------------------------------------------------------
    "numbering.status.title": {
        "en": "Numbering watch: {company}",
        "fi": "Numeroinnin seuranta: {company}",
    },
    "numbering.status.text": {
        "en": "Numbering: orders {order}, invoices {invoice}",
        "fi": "Numerointi: tilaukset {order}, laskut {invoice}",
    },
    "numbering.status.series": {
        "en": "{icon} *{series}*: *{level}* · strategy {strategy}",
        "fi": "{icon} *{series}*: *{level}* · numerointitapa: {strategy}",
    },
    "numbering.headroom": {
        "en": "{headroom} left before {limit} ({ceiling})",
        "fi": "{headroom} jäljellä ennen {limit} ({ceiling})",
    },
    "numbering.headroom.none": {
        "en": "No numbers left before {limit} ({ceiling}): the series already overlap.",
        "fi": "Numeroita ei ole enää jäljellä ennen {limit} ({ceiling}): sarjat menevät jo "
        "päällekkäin.",
    },
    # The limit as ``numbering.headroom`` needs it (Finnish: partitive after "ennen").
    "numbering.headroom.limit.rackbeat-only": {
        "en": "Rackbeat's next number",
        "fi": "Rackbeatin seuraavaa numeroa",
    },
    "numbering.headroom.limit.mixed": {"en": "Netvisor's numbers", "fi": "Netvisorin numeroita"},
    "numbering.forecast.days": {
        "en": "about {days} left at {rate} numbers a working day (around {date})",
        "fi": "noin {days} jäljellä, kun numeroita kuluu {rate} arkipäivässä (noin {date})",
    },
    "numbering.forecast.far": {
        "en": "more than ten years left at {rate} numbers a working day",
        "fi": "yli kymmenen vuotta jäljellä, kun numeroita kuluu {rate} arkipäivässä",
    },
    "numbering.value": {
        "en": "{field}: *{value}* ({source}, {age})",
        "fi": "{field}: *{value}* ({source}, {age})",
    },
    "numbering.value.missing": {
        "en": "{field}: _not set_ (`/rackbeat numbering set {series} {field_id} NUMBER`)",
        "fi": "{field}: _puuttuu_ (`/rackbeat numbering set {series} {field_id} NUMERO`)",
    },
    "numbering.connection.connected": {
        "en": "{source}: connected to {company} ({who}, {when})",
        "fi": "{source}: yhdistetty, {company} ({who}, {when})",
    },
    "numbering.connection.failing": {
        "en": " · :warning: failing since {when}: {failure}",
        "fi": " · :warning: ei ole toiminut {when} lähtien: {failure}",
    },
    "numbering.connection.none": {
        "en": "{source}: not connected (`/rackbeat connect {source_id}`)",
        "fi": "{source}: ei yhdistetty (`/rackbeat connect {source_id}`)",
    },
    "numbering.thresholds": {
        "en": "Alerts: warning at ≤ {warning_days} days or ≤ {warning_numbers} numbers, "
        "critical at ≤ {critical_days} days or ≤ {critical_numbers} numbers.",
        "fi": "Hälytykset: varoitus, kun ≤ {warning_days} päivää tai ≤ {warning_numbers} "
        "numeroa, kriittinen, kun ≤ {critical_days} päivää tai ≤ {critical_numbers} numeroa.",
    },
    "numbering.checked": {"en": "Last checked {when}.", "fi": "Tarkistettu viimeksi {when}."},
    "numbering.checked.never": {
        "en": "Not checked yet: `/rackbeat numbering check`.",
        "fi": "Ei vielä tarkistettu: `/rackbeat numbering check`.",
    },
    "numbering.acknowledged": {
        "en": "Acknowledged at {level}: no reminders until it gets worse.",
        "fi": "Kuitattu tasolla {level}: ei muistutuksia, ellei tilanne pahene.",
    },
    "numbering.snoozed": {
        "en": "Reminders snoozed until {when}.",
        "fi": "Muistutukset hiljennetty {when} asti.",
    },
    # --- reasons (notes) ---------------------------------------------------------------------
    "numbering.note.missing_input": {
        "en": "{field} is not set.",
        "fi": "{field} puuttuu.",
    },
    "numbering.note.stale_input": {
        "en": "{field} from {source} is out of date (last read {when}): not calling this OK.",
        "fi": "{field} ({source}) on vanhentunut (luettu {when}), joten tilaa ei voi todeta "
        "kunnossa olevaksi.",
    },
    "numbering.note.source_failing": {
        "en": "{source} has been failing since {when}: {detail}",
        "fi": "{source} ei ole toiminut {when} lähtien: {detail}",
    },
    "numbering.note.rackbeat_in_netvisor_block": {
        "en": "Rackbeat's next number has reached Netvisor's block ({value}): the next "
        "transfer to Netvisor fails.",
        "fi": "Rackbeatin seuraava numero on saavuttanut Netvisorin lohkon ({value}): seuraava "
        "siirto Netvisoriin epäonnistuu.",
    },
    "numbering.note.netvisor_at_or_above_rackbeat": {
        "en": "Netvisor already has number {value}, at or above Rackbeat's next number: a "
        "document was made in Netvisor.",
        "fi": "Netvisorissa on jo numero {value}, joka on vähintään Rackbeatin seuraava numero: "
        "Netvisorissa on tehty tosite.",
    },
    "numbering.note.netvisor_outside_block": {
        "en": "Netvisor numbers its own documents below its block (largest {value}), ahead of "
        "Rackbeat.",
        "fi": "Netvisor numeroi omia tositteitaan lohkonsa alapuolelle (suurin {value}), "
        "Rackbeatin edelle.",
    },
    "numbering.note.block_not_in_use": {
        "en": "Netvisor's block is not in use yet: a document made in Netvisor now would get "
        "{value}, inside Rackbeat's range. Number the next Netvisor document from the block "
        "start.",
        "fi": "Netvisorin lohko ei ole vielä käytössä: Netvisorissa nyt tehty tosite saisi "
        "numeron {value} Rackbeatin alueelta. Numeroi seuraava Netvisorin tosite lohkon "
        "alusta.",
    },
    "numbering.note.not_enough_history": {
        "en": "Not enough history to forecast yet.",
        "fi": "Historiaa ei ole vielä tarpeeksi ennusteeseen.",
    },
    "numbering.note.not_consuming": {
        "en": "Numbers are not being used up at the moment.",
        "fi": "Numeroita ei kulu tällä hetkellä.",
    },
    "numbering.note.rackbeat_live": {
        "en": "Rackbeat is in use: no documents of this series may be made in Netvisor.",
        "fi": "Rackbeat on käytössä: tämän sarjan tositteita ei saa tehdä Netvisorissa.",
    },
    "numbering.note.renumbered": {
        "en": "Renumberings in the history: {value}. They are left out of the rate.",
        "fi": "Uudelleennumerointeja historiassa: {value}. Ne on jätetty kulutusarvion "
        "ulkopuolelle.",
    },
    # --- alerts --------------------------------------------------------------------------------
    "numbering.alert.alert": {
        "en": "{icon} Numbering of {series} is now *{level}*",
        "fi": "{icon} {series}: numeroinnin tila on nyt *{level}*",
    },
    "numbering.alert.reminder": {
        "en": ":alarm_clock: Reminder: numbering of {series} is still *{level}*",
        "fi": ":alarm_clock: Muistutus: {series}: numeroinnin tila on yhä *{level}*",
    },
    "numbering.alert.all_clear": {
        "en": ":white_check_mark: Numbering of {series} is OK again",
        "fi": ":white_check_mark: {series}: numerointi on taas kunnossa",
    },
    "numbering.alert.acknowledged": {
        "en": ":ok_hand: {who} acknowledged {series} at *{level}*: no reminders until it gets "
        "worse.",
        "fi": ":ok_hand: {who} kuittasi: {series}, *{level}*: ei muistutuksia, ellei tilanne "
        "pahene.",
    },
    "numbering.alert.snoozed": {
        "en": ":zzz: {who} snoozed reminders about {series} until {when}.",
        "fi": ":zzz: {who} hiljensi muistutukset ({series}) {when} asti.",
    },
    "numbering.button.setup": {"en": "Set up", "fi": "Asetukset"},
    "numbering.button.check": {"en": "Check now", "fi": "Tarkista nyt"},
    "numbering.button.ack": {"en": "Acknowledge", "fi": "Kuittaa"},
    "numbering.button.snooze": {"en": "Snooze 7 days", "fi": "Hiljennä 7 päiväksi"},
    # --- command answers ---------------------------------------------------------------------
    "numbering.set.done": {
        "en": "{series}: {field} is now {value}.",
        "fi": "{series}: {field} on nyt {value}.",
    },
    "numbering.strategy.done": {
        "en": "Numbering strategy: {strategy} ({series}).",
        "fi": "Numerointitapa: {strategy} ({series}).",
    },
    "numbering.strategy.both": {"en": "both series", "fi": "molemmat sarjat"},
    "numbering.setup.saved": {
        "en": "Numbering settings saved.",
        "fi": "Numeroinnin asetukset tallennettu.",
    },
    "numbering.check.result": {
        "en": "Checked: orders {order}, invoices {invoice}.",
        "fi": "Tarkistettu: tilaukset {order}, laskut {invoice}.",
    },
    "numbering.check.in_progress": {
        "en": "A numbering check of this channel is running right now; the result follows "
        "in a moment.",
        "fi": "Tämän kanavan numerointia tarkistetaan juuri nyt; tulos tulee hetken kuluttua.",
    },
    "numbering.check.source_failed": {
        "en": "{source}: {reason}",
        "fi": "{source}: {reason}",
    },
    "numbering.connected": {
        "en": ":link: {who} connected {source}: {company}. The credentials are stored "
        "encrypted and never shown again.",
        "fi": ":link: {who} yhdisti palvelun {source}: {company}. Tunnukset on tallennettu "
        "salattuina, eikä niitä näytetä enää.",
    },
    "numbering.disconnected": {
        "en": "{who} disconnected {source}; its credentials are forgotten.",
        "fi": "{who} katkaisi yhteyden palveluun {source}; sen tunnukset on poistettu.",
    },
    "numbering.disconnect.none": {
        "en": "{source} was not connected.",
        "fi": "{source} ei ollut yhdistettynä.",
    },
    # --- refusals ------------------------------------------------------------------------------
    "numbering.usage": {
        "en": "Use `/rackbeat numbering`, `numbering check`, `numbering set SERIES FIELD "
        "NUMBER` or `numbering strategy [SERIES] rackbeat-only|mixed`.",
        "fi": "Käytä `/rackbeat numbering`, `numbering check`, `numbering set SARJA KENTTÄ "
        "NUMERO` tai `numbering strategy [SARJA] rackbeat-only|mixed`.",
    },
    "numbering.set.usage": {
        "en": "Use `/rackbeat numbering set invoice|order rackbeat-next|netvisor-max|"
        "netvisor-block-start NUMBER`.",
        "fi": "Käytä `/rackbeat numbering set invoice|order rackbeat-next|netvisor-max|"
        "netvisor-block-start NUMERO`.",
    },
    "numbering.set.bad_field": {
        "en": "`{value}` is not a field; use one of {valid}.",
        "fi": "`{value}` ei ole kenttä; käytä jotakin näistä: {valid}.",
    },
    "numbering.set.bad_number": {
        "en": "`{value}` is not a document number Rackbeat and Netvisor can hold: a whole number "
        "from 1 to {max}, with spaces only between groups of three digits.",
        "fi": "`{value}` ei ole tositenumero, jonka Rackbeat ja Netvisor voivat tallentaa: "
        "kokonaisluku 1–{max}, välilyöntejä vain kolmen numeron ryhmien välissä.",
    },
    "numbering.strategy.usage": {
        "en": "Use `/rackbeat numbering strategy [invoice|order] rackbeat-only|mixed`.",
        "fi": "Käytä `/rackbeat numbering strategy [invoice|order] rackbeat-only|mixed`.",
    },
    "numbering.strategy.bad": {
        "en": "`{value}` is not a strategy; use {valid}.",
        "fi": "`{value}` ei ole numerointitapa; käytä: {valid}.",
    },
    "numbering.bad_series": {
        "en": "`{value}` is not a series; use {valid}.",
        "fi": "`{value}` ei ole sarja; käytä: {valid}.",
    },
    "numbering.bad_source": {
        "en": "Say which: `rackbeat` or `netvisor` (not `{value}`).",
        "fi": "Kerro kumpi: `rackbeat` vai `netvisor` (ei `{value}`).",
    },
    "numbering.connect.no_secret_key": {
        "en": "This bot has no SECRET_KEY, so it will not store any credentials. Ask the bot's "
        "admin to set one; manual values work meanwhile (`/rackbeat numbering set …`).",
        "fi": "Botilla ei ole SECRET_KEY-asetusta, joten se ei tallenna tunnuksia. Pyydä botin "
        "ylläpitäjää asettamaan se; käsin syötetyt arvot toimivat sillä välin.",
    },
    "numbering.connect.failed": {
        "en": "Could not connect: {reason} Nothing was stored.",
        "fi": "Yhteys ei onnistunut: {reason} Mitään ei tallennettu.",
    },
    # --- modals --------------------------------------------------------------------------------
    "numbering.modal.setup.title": {"en": "Numbering", "fi": "Numerointi"},
    "numbering.modal.save": {"en": "Save", "fi": "Tallenna"},
    "numbering.modal.cancel": {"en": "Cancel", "fi": "Peruuta"},
    "numbering.modal.close": {"en": "Close", "fi": "Sulje"},
    "numbering.modal.strategy": {"en": "{series}: strategy", "fi": "{series}: numerointitapa"},
    "numbering.modal.value": {"en": "{series}: {field}", "fi": "{series}: {field}"},
    "numbering.modal.value.hint": {
        "en": "Leave empty to keep the current value.",
        "fi": "Jätä tyhjäksi, niin nykyinen arvo säilyy.",
    },
    "numbering.modal.current": {"en": "now {value}", "fi": "nyt {value}"},
    "numbering.modal.warning_days": {"en": "Warning at ≤ days", "fi": "Varoitus, kun ≤ päivää"},
    "numbering.modal.warning_numbers": {
        "en": "Warning at ≤ numbers",
        "fi": "Varoitus, kun ≤ numeroa",
    },
    "numbering.modal.critical_days": {
        "en": "Critical at ≤ days",
        "fi": "Kriittinen, kun ≤ päivää",
    },
    "numbering.modal.critical_numbers": {
        "en": "Critical at ≤ numbers",
        "fi": "Kriittinen, kun ≤ numeroa",
    },
    "numbering.modal.bad_number": {
        "en": "A whole number from 1 to {max}, please (spaces only between groups of three).",
        "fi": "Kokonaisluku 1–{max} (välilyöntejä vain kolmen numeron ryhmien välissä).",
    },
    "numbering.modal.not_a_number": {
        "en": "Digits only, please.",
        "fi": "Vain numeroita.",
    },
    "numbering.threshold.negative": {
        "en": "A threshold cannot be negative ({name}).",
        "fi": "Raja ei voi olla negatiivinen ({name}).",
    },
    "numbering.modal.critical_above_warning.days": {
        "en": "Critical at {critical} days must not be above warning at {warning} days.",
        "fi": "Kriittinen raja ({critical} päivää) ei voi olla suurempi kuin varoitusraja "
        "({warning} päivää).",
    },
    "numbering.modal.critical_above_warning.numbers": {
        "en": "Critical at {critical} numbers must not be above warning at {warning} numbers.",
        "fi": "Kriittinen raja ({critical} numeroa) ei voi olla suurempi kuin varoitusraja "
        "({warning} numeroa).",
    },
    "numbering.modal.connect.title": {"en": "Connect {source}", "fi": "Yhdistä {source}"},
    "numbering.modal.connect.intro": {
        "en": "The credentials are tested against {source} first, then stored encrypted. "
        "They are never shown again.",
        "fi": "Tunnukset testataan ensin palvelussa {source} ja tallennetaan sitten "
        "salattuina. Niitä ei näytetä enää.",
    },
    "numbering.modal.connect.submit": {"en": "Test and save", "fi": "Testaa ja tallenna"},
    "numbering.modal.rackbeat.token": {"en": "API token", "fi": "API-tunniste"},
    "numbering.modal.netvisor.customer_id": {
        "en": "Customer id (API identifier)",
        "fi": "Asiakastunnus (API-tunniste)",
    },
    "numbering.modal.netvisor.customer_key": {"en": "Customer key", "fi": "Asiakasavain"},
    "numbering.modal.netvisor.partner_id": {"en": "Partner id", "fi": "Kumppanitunnus"},
    "numbering.modal.netvisor.partner_key": {"en": "Partner key", "fi": "Kumppaniavain"},
    "numbering.modal.netvisor.organisation_id": {
        "en": "Business id (Y-tunnus)",
        "fi": "Y-tunnus",
    },
    "numbering.modal.invalid": {
        "en": "Please check this value.",
        "fi": "Tarkista tämä arvo.",
    },
    "numbering.modal.testing": {
        "en": ":hourglass_flowing_sand: Testing the connection to {source}…",
        "fi": ":hourglass_flowing_sand: Testataan yhteyttä palveluun {source}…",
    },
    "numbering.modal.connected": {
        "en": ":white_check_mark: Connected to {company}. The credentials are stored encrypted.",
        "fi": ":white_check_mark: Yhdistetty: {company}. Tunnukset on tallennettu salattuina.",
    },
    "numbering.modal.failed": {
        "en": ":x: {reason} Nothing was stored; run `/rackbeat connect {source_id}` to try again.",
        "fi": ":x: {reason} Mitään ei tallennettu; yritä uudelleen komennolla "
        "`/rackbeat connect {source_id}`.",
    },
    # --- chart ---------------------------------------------------------------------------------
    "numbering.chart.title": {
        "en": "{company}: order and invoice numbers",
        "fi": "{company}: tilaus- ja laskunumerot",
    },
    "numbering.chart.rackbeat": {"en": "Rackbeat next number", "fi": "Rackbeatin seuraava"},
    "numbering.chart.netvisor": {"en": "Netvisor largest number", "fi": "Netvisorin suurin"},
    "numbering.chart.limit": {"en": "limit", "fi": "raja"},
    "numbering.chart.forecast": {"en": "forecast", "fi": "ennuste"},
    "numbering.chart.meets": {"en": "meets {date}", "fi": "kohtaa {date}"},
    "numbering.chart.no_data": {"en": "no data yet", "fi": "ei vielä tietoja"},
    "numbering.chart.file_title": {
        "en": "Numbering chart {date}",
        "fi": "Numerointikaavio {date}",
    },
}
