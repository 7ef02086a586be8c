"""Strings of CSV intake (thread replies on shared register files), English and Finnish."""

from __future__ import annotations

from core.registers.codes import CODES

MESSAGES: dict[str, dict[str, str]] = {
    "registers.checking": {
        "en": ":hourglass_flowing_sand: Checking {name}…",
        "fi": ":hourglass_flowing_sand: Tarkistan tiedostoa {name}…",
    },
    "registers.progress": {
        "en": ":hourglass_flowing_sand: Checking {name}… {rows} so far",
        "fi": ":hourglass_flowing_sand: Tarkistan tiedostoa {name}… {rows} tähän mennessä",
    },
    # Counts: `.one` for exactly 1, `.other` for the rest (formatting.tn picks the form).
    "registers.count.rows.one": {"en": "{count} row", "fi": "{count} rivi"},
    "registers.count.rows.other": {"en": "{count} rows", "fi": "{count} riviä"},
    "registers.count.errors.one": {"en": "{count} error", "fi": "{count} virhe"},
    "registers.count.errors.other": {"en": "{count} errors", "fi": "{count} virhettä"},
    "registers.count.warnings.one": {"en": "{count} warning", "fi": "{count} varoitus"},
    "registers.count.warnings.other": {"en": "{count} warnings", "fi": "{count} varoitusta"},
    "registers.verdict.valid": {
        "en": ":white_check_mark: *{name}* is ready to import: {register}, {rows}, no errors.",
        "fi": ":white_check_mark: *{name}* on valmis tuotavaksi: {register}, {rows}, ei virheitä.",
    },
    "registers.verdict.warnings": {
        "en": " {warnings} to look at.",
        "fi": " Katso vielä: {warnings}.",
    },
    "registers.verdict.invalid": {
        "en": ":x: *{name}* has {errors} and {warnings} ({register}, {rows}): "
        "fix them before importing.",
        "fi": ":x: *{name}*: {errors} ja {warnings} ({register}, {rows}). "
        "Korjaa virheet ennen tuontia.",
    },
    "registers.group.rows.one": {
        "en": "row {rows}",
        "fi": "rivi {rows}",
    },
    "registers.group.rows.other": {
        "en": "rows {rows}",
        "fi": "rivit {rows}",
    },
    "registers.group.samples": {
        "en": "e.g. {samples}",
        "fi": "esim. {samples}",
    },
    # File-level issues about one header: the header as the user wrote it, and the column.
    "registers.issue.header_guessed": {
        "en": "read *{header}* as `{column}`",
        "fi": "luin otsikon *{header}* sarakkeeksi `{column}`",
    },
    "registers.issue.header_ambiguous": {
        "en": "read *{header}* as `{column}`: check that this is what the column holds",
        "fi": "luin otsikon *{header}* sarakkeeksi `{column}`: tarkista, että sarakkeessa on sitä",
    },
    "registers.issue.header_ambiguous.ignored": {
        "en": "read *{header}* as stock balances and left it out: balances are imported as a "
        "file of their own",
        "fi": "tulkitsin otsikon *{header}* varastosaldoiksi ja jätin sen pois: saldot tuodaan "
        "omana tiedostonaan",
    },
    "registers.more.one": {
        "en": "…and {count} more kind of issue: every one is in the error report.",
        "fi": "…ja {count} muu ongelmatyyppi: kaikki ovat virheraportissa.",
    },
    "registers.more.other": {
        "en": "…and {count} more kinds of issue: every one is in the error report.",
        "fi": "…ja {count} muuta ongelmatyyppiä: kaikki ovat virheraportissa.",
    },
    "registers.recheck.note": {
        "en": ":arrows_counterclockwise: Checked again: *{products}* arrived after *{name}* "
        "was checked, and inventory is judged against the products.",
        "fi": ":arrows_counterclockwise: Tarkistettu uudelleen: *{products}* tuli vasta "
        "tiedoston *{name}* tarkistuksen jälkeen, ja saldot tarkistetaan tuotteita vasten.",
    },
    "registers.recheck.share_again": {
        "en": ":warning: *{name}* was checked before *{products}*: its verdict above is out of "
        "date and I can't fetch the file again. Share it again to check it against the new "
        "products.",
        "fi": ":warning: *{name}* tarkistettiin ennen tiedostoa *{products}*: yllä oleva tulos "
        "on vanhentunut, enkä saa tiedostoa haettua uudelleen. Jaa se uudelleen, niin tarkistan "
        "sen uusia tuotteita vasten.",
    },
    "registers.report.comment": {
        "en": "Every issue of {name}, row by row.",
        "fi": "Kaikki tiedoston {name} ongelmat riveittäin.",
    },
    "registers.normalized.comment": {
        "en": "{name}, normalized and ready to import (UTF-8, `;`, decimal commas).",
        "fi": "{name} yhtenäistettynä ja tuontivalmiina (UTF-8, `;`, desimaalipilkut).",
    },
    "registers.hint.no_onboarding": {
        "en": "Checked on its own: cross-file checks (inventory → products, products → "
        "suppliers) need an onboarding here: `/rackbeat start`.",
        "fi": "Tarkistettu yksinään: tiedostojen väliset tarkistukset (saldot → tuotteet, "
        "tuotteet → toimittajat) tarvitsevat käyttöönoton tälle kanavalle: `/rackbeat start`.",
    },
    "registers.mark_done": {
        "en": "Mark “{step}” done",
        "fi": "Merkitse ”{step}” valmiiksi",
    },
    "registers.marked_done": {
        "en": ":white_check_mark: <@{user}> marked the step done.",
        "fi": ":white_check_mark: <@{user}> merkitsi vaiheen valmiiksi.",
    },
    "registers.refused.too_large": {
        "en": ":no_entry: {name} is {size} MB; I check files up to {limit} MB. "
        "Split it into smaller files.",
        "fi": ":no_entry: {name} on {size} Mt; tarkistan enintään {limit} Mt:n tiedostoja. "
        "Jaa se pienempiin osiin.",
    },
    "registers.refused.not_csv": {
        "en": ":no_entry: {name} is not a CSV file. Save it from Excel as “CSV UTF-8” "
        "and share that.",
        "fi": ":no_entry: {name} ei ole CSV-tiedosto. Tallenna se Excelistä muodossa "
        "”CSV UTF-8” ja jaa se.",
    },
    "registers.refused.html": {
        "en": ":no_entry: Slack gave me a sign-in page instead of {name}: the app is missing "
        "the `files:read` scope. Ask your Slack admin to reinstall it.",
        "fi": ":no_entry: Slack antoi tiedoston {name} sijaan kirjautumissivun: sovellukselta "
        "puuttuu `files:read`-oikeus. Pyydä Slackin ylläpitäjää asentamaan se uudelleen.",
    },
    "registers.refused.empty": {
        "en": ":no_entry: {name} is empty.",
        "fi": ":no_entry: {name} on tyhjä.",
    },
    "registers.refused.header_only": {
        "en": ":no_entry: {name} has a header row but no data rows.",
        "fi": ":no_entry: Tiedostossa {name} on otsikkorivi mutta ei yhtään tietoriviä.",
    },
    "registers.refused.unknown_register": {
        "en": ":no_entry: I can't tell which register {name} is: its first row should name "
        "the columns (see `/rackbeat help csv`). You can also say it in the message: "
        "“products”, “customers”, “suppliers” or “inventory”.",
        "fi": ":no_entry: En tunnista, mikä rekisteri {name} on: ensimmäisellä rivillä pitää "
        "olla sarakkeiden nimet (katso `/rackbeat help csv`). Voit myös kertoa sen viestissä: "
        "”tuotteet”, ”asiakkaat”, ”toimittajat” tai ”saldot”.",
    },
    "registers.refused.download": {
        "en": ":warning: I could not download {name} from Slack. Please share it again.",
        "fi": ":warning: En saanut ladattua tiedostoa {name} Slackista. Jaa se uudelleen.",
    },
    "registers.refused.host": {
        "en": ":no_entry: I did not download {name}: Slack says it is stored at `{host}`, "
        "which is not one of the hosts I send my Slack token to (`SLACK_FILE_HOSTS`). "
        "Ask whoever runs the bot to check that setting.",
        "fi": ":no_entry: En ladannut tiedostoa {name}: Slackin mukaan se on osoitteessa "
        "`{host}`, joka ei ole niiden osoitteiden joukossa, joihin lähetän Slack-tunnukseni "
        "(`SLACK_FILE_HOSTS`). Pyydä botin ylläpitäjää tarkistamaan asetus.",
    },
    "registers.refused.redirect": {
        "en": ":no_entry: Slack sent the download of {name} elsewhere, and I never follow a "
        "redirect with my Slack token. Please share it again; if this keeps happening, tell "
        "whoever runs the bot.",
        "fi": ":no_entry: Slack ohjasi tiedoston {name} latauksen muualle, enkä seuraa "
        "uudelleenohjauksia Slack-tunnukseni kanssa. Jaa tiedosto uudelleen; jos tämä toistuu, "
        "kerro botin ylläpitäjälle.",
    },
    "registers.refused.control_characters": {
        "en": ":no_entry: {name} has control characters on line {line} that text never has: "
        "the file is damaged or binary, and I don't pass them on to an import file. Save it "
        "from Excel again as “CSV UTF-8” and share that.",
        "fi": ":no_entry: Tiedoston {name} rivillä {line} on ohjausmerkkejä, joita tekstissä ei "
        "koskaan ole: tiedosto on vioittunut tai binääritiedosto, enkä vie niitä tuontitiedostoon. "
        "Tallenna se Excelistä uudelleen muodossa ”CSV UTF-8” ja jaa se.",
    },
    "registers.refused.other": {
        "en": ":no_entry: I can't read {name}: {reason}",
        "fi": ":no_entry: En pysty lukemaan tiedostoa {name}: {reason}",
    },
    "registers.name.products": {"en": "products", "fi": "tuotteet"},
    "registers.name.customers": {"en": "customers", "fi": "asiakkaat"},
    "registers.name.suppliers": {"en": "suppliers", "fi": "toimittajat"},
    "registers.name.inventory": {"en": "initial balances", "fi": "alkusaldot"},
}

# Finnish titles of the issue codes (the English ones come from core.registers.codes).
_FI_TITLES = {
    "missing_column": "Pakollinen sarake puuttuu",
    "duplicate_column": "Kaksi otsikkoa samalle sarakkeelle",
    "unknown_column": "Tuntematon sarake (ohitetaan)",
    "header_guessed": "Otsikko luettu lähimpänä sarakkeena",
    "header_ambiguous": "Otsikko, joka voi tarkoittaa kahta saraketta",
    "extra_fields": "Rivillä enemmän kenttiä kuin otsikoita",
    "encoding_replaced": "Merkkejä, joita ei voitu lukea",
    "encoding_mixed": "UTF-8 ja Windows-1252 sekaisin samassa tiedostossa",
    "register_hint_overruled": "Otsikkorivi nimeää eri rekisterin kuin viesti",
    "valuation_unknown": "Arvostusmenetelmä tuntematon",
    "products_not_known": "Tuotenumeroita ei tarkistettu",
    "suppliers_not_known": "Toimittajanumeroita ei tarkistettu",
    "required_missing": "Pakollinen arvo puuttuu",
    "too_long": "Arvo liian pitkä",
    "duplicate_number": "Numero käytössä kahdesti",
    "decimal_invalid": "Ei luku",
    "decimal_ambiguous": "Monitulkintainen desimaaliluku",
    "negative_value": "Negatiivinen arvo",
    "reference_not_number": "Nimi numeron sijaan",
    "boolean_invalid": "Ei kyllä/ei-arvo",
    "date_invalid": "Ei päivämäärä",
    "date_in_future": "Päivämäärä tulevaisuudessa",
    "formula_like_text": "Kaavalta näyttävä teksti",
    "product_number_not_numeric": "Tuotenumero ei ole numeerinen",
    "product_number_leading_zeros": "Etunollat todennäköisesti kadonneet",
    "ean_invalid": "Ei EAN/GTIN-koodi",
    "ean_checksum": "Väärä EAN-tarkiste",
    "excel_scientific": "Pitkä numero tieteellisessä muodossa",
    "ean_leading_zeros": "Viivakoodista puuttuu etunolla",
    "unknown_supplier": "Toimittaja puuttuu toimittajarekisteristä",
    "tracking_changed_after_balances": "Erä-/sarjanumeroseuranta muuttui saldojen jälkeen",
    "customer_number_not_numeric": "Asiakasnumero ei ole numeerinen",
    "customer_number_leading_zero": "Asiakasnumero alkaa nollalla",
    "supplier_number_not_numeric": "Toimittajanumero ei ole numeerinen",
    "supplier_number_leading_zero": "Toimittajanumero alkaa nollalla",
    "payment_terms_missing": "Maksuehto puuttuu",
    "vat_zone_invalid": "Tuntematon ALV-vyöhyke",
    "business_id_invalid": "Ei suomalainen Y-tunnus",
    "business_id_checksum": "Väärä Y-tunnuksen tarkiste",
    "vat_number_invalid": "Virheellinen ALV-numero",
    "vat_number_mismatch": "ALV-numero ja Y-tunnus eivät täsmää",
    "zip_invalid": "Ei suomalainen postinumero",
    "country_invalid": "Tuntematon maakoodi",
    "country_name": "Maan nimi koodin sijaan",
    "email_invalid": "Ei sähköpostiosoite",
    "currency_invalid": "Ei valuuttakoodi",
    "iban_invalid": "Ei IBAN",
    "iban_checksum": "Väärät IBAN-tarkisteet",
    "bic_invalid": "Ei BIC",
    "unknown_product": "Tuote puuttuu tuoterekisteristä",
    "balance_negative": "Negatiivinen saldo",
    "cost_price_missing": "Kustannushinta puuttuu lisättäessä saldoa",
    "fifo_cost_price_missing": "FIFO: kustannushinta puuttuu",
    "average_quantity_and_cost_price": "Keskihinta: määrä ja hinta samassa tiedostossa",
    "serial_missing": "Sarjanumero puuttuu",
    "serial_quantity_not_one": "Sarjanumerorivin määrä ei ole 1",
    "serial_duplicate": "Sarjanumero kahdesti",
    "batch_missing": "Erä puuttuu",
    "serial_not_tracked": "Sarjanumero tuotteelle ilman sarjanumeroseurantaa",
    "batch_not_tracked": "Erä tuotteelle ilman eräseurantaa",
    "unknown_reference": "Ei löydy Rackbeat-tililtä",
    "reference_by_name": "Nimi numeron sijaan (tunnistettu)",
    "already_in_rackbeat": "On jo Rackbeatissa",
    "tracking_on_product_with_stock": "Seuranta päälle tuotteelle, jolla on saldoa",
    # refusals recorded as file issues
    "not_found": "Tiedostoa ei löydy",
}

for _code, _spec in CODES.items():
    MESSAGES[f"registers.code.{_code}"] = {"en": _spec.title, "fi": _FI_TITLES[_code]}
