"""The sentences of register file issues, the error report's words and column names.

``core.registers`` names each finding by a code and the facts it needs (``params``); the
words are here, in both languages. ``handlers.blocks.issues`` picks the template:
``registers.issue.CODE``, or ``…CODE.plain`` when an optional fact (a guess) is absent, or
``…CODE.one`` when the count is 1. ``{column}`` is filled with the column as the reader wrote
it (``*Tuoteryhmä* (group)``).
"""

from __future__ import annotations

# Canonical column → words (for a column the file lacks; otherwise the user's own header).
_COLUMNS: dict[str, tuple[str, str]] = {
    "number": ("Number", "Numero"),
    "name": ("Name", "Nimi"),
    "group": ("Group", "Ryhmä"),
    "cost_price": ("Cost price", "Kustannushinta"),
    "sales_price": ("Sales price", "Myyntihinta"),
    "unit": ("Unit", "Yksikkö"),
    "barcode": ("Barcode", "Viivakoodi"),
    "supplier": ("Supplier", "Toimittaja"),
    "location": ("Location", "Varastopaikka"),
    "batch_tracking": ("Batch tracking", "Eräseuranta"),
    "serial_numbers": ("Serial numbers", "Sarjanumeroseuranta"),
    "description": ("Description", "Kuvaus"),
    "min_stock": ("Minimum stock", "Minimisaldo"),
    "vat_zone": ("VAT zone", "ALV-alue"),
    "payment_terms": ("Payment terms", "Maksuehto"),
    "layout": ("Layout", "Lomakepohja"),
    "language": ("Language", "Kieli"),
    "business_id": ("Business ID", "Y-tunnus"),
    "vat_number": ("VAT number", "ALV-numero"),
    "address": ("Address", "Osoite"),
    "address2": ("Address line 2", "Osoiterivi 2"),
    "zip": ("Postal code", "Postinumero"),
    "city": ("City", "Postitoimipaikka"),
    "country": ("Country", "Maa"),
    "email": ("Email", "Sähköposti"),
    "phone": ("Phone", "Puhelin"),
    "currency": ("Currency", "Valuutta"),
    "iban": ("IBAN", "IBAN"),
    "bic": ("BIC", "BIC"),
    "date": ("Date", "Päivämäärä"),
    "product": ("Product", "Tuote"),
    "quantity": ("Quantity", "Määrä"),
    "reason": ("Reason", "Syy"),
    "relative": ("Relative", "Suhteellinen"),
    "batch": ("Batch", "Erä"),
    "serial": ("Serial number", "Sarjanumero"),
}

_ISSUES: dict[str, tuple[str, str]] = {
    # --- file level ---------------------------------------------------------------------
    "missing_column": (
        "{column} is missing. Did you mean the header “{guess}”?",
        "{column} puuttuu. Tarkoititko otsikkoa ”{guess}”?",
    ),
    "missing_column.plain": (
        "{column} is missing: add it under any accepted header.",
        "{column} puuttuu: lisää se millä tahansa hyväksytyllä otsikolla.",
    ),
    "duplicate_column": (
        "“{header}” is a second header for {column}: I read the first one and ignore this one.",
        "”{header}” on toinen otsikko sarakkeelle {column}: luen ensimmäisen ja ohitan tämän.",
    ),
    "unknown_column": (
        "I don't know the column “{header}”, so I ignore it.",
        "En tunne saraketta ”{header}”, joten ohitan sen.",
    ),
    "unknown_column.plain": (
        "Column {position} has no header, so I ignore it.",
        "Sarakkeella {position} ei ole otsikkoa, joten ohitan sen.",
    ),
    # A header read as a column it does not name exactly (``{column}`` is the column's own
    # name here: ``{header}`` already says what the file wrote).
    "header_guessed": (
        "I read the header “{header}” as {column}, the closest column: check that this is "
        "what you meant.",
        "Tulkitsin otsikon ”{header}” tarkoittavan saraketta {column}, koska se on lähin: "
        "tarkista, että tarkoitit sitä.",
    ),
    "header_ambiguous": (
        "I read the header “{header}” as {column}: check that this is what the column holds.",
        "Tulkitsin otsikon ”{header}” tarkoittavan saraketta {column}: tarkista, että "
        "sarakkeessa on sitä.",
    ),
    "header_ambiguous.ignored": (
        "I read the header “{header}” as stock balances and left the column out: balances "
        "are imported as a file of their own.",
        "Tulkitsin otsikon ”{header}” varastosaldoiksi ja jätin sarakkeen pois: saldot "
        "tuodaan omana tiedostonaan.",
    ),
    "extra_fields": (
        "The row has more fields than the header. A value that contains the delimiter "
        "needs quotes.",
        "Rivillä on enemmän kenttiä kuin otsikkorivillä. Jos arvossa on erotinmerkki, "
        "arvo pitää laittaa lainausmerkkeihin.",
    ),
    "encoding_replaced": (
        "{count} characters could not be read as {encoding}: save the file as CSV UTF-8.",
        "{count} merkkiä ei voitu lukea merkistöllä {encoding}. Tallenna tiedosto muodossa "
        "CSV UTF-8.",
    ),
    "encoding_replaced.one": (
        "1 character could not be read as {encoding}: save the file as CSV UTF-8.",
        "Yhtä merkkiä ei voitu lukea merkistöllä {encoding}. Tallenna tiedosto muodossa CSV UTF-8.",
    ),
    "encoding_mixed": (
        "The file mixes UTF-8 with {encoding}: {count} lines were read as {encoding}, the "
        "others as UTF-8. Check the letters ä and ö, then save the file as CSV UTF-8.",
        "Tiedostossa on sekaisin UTF-8:aa ja merkistöä {encoding}: {count} riviä luettiin "
        "merkistöllä {encoding}, muut UTF-8:na. Tarkista ä- ja ö-kirjaimet ja tallenna "
        "tiedosto muodossa CSV UTF-8.",
    ),
    "encoding_mixed.one": (
        "The file mixes UTF-8 with {encoding}: 1 line was read as {encoding}, the others as "
        "UTF-8. Check the letters ä and ö, then save the file as CSV UTF-8.",
        "Tiedostossa on sekaisin UTF-8:aa ja merkistöä {encoding}: yksi rivi luettiin "
        "merkistöllä {encoding}, muut UTF-8:na. Tarkista ä- ja ö-kirjaimet ja tallenna "
        "tiedosto muodossa CSV UTF-8.",
    ),
    # {hint} and {register} are register names in the reader's language.
    "register_hint_overruled": (
        "The message names {hint}, but the header has every required column of {register}: "
        "I checked the file as {register}.",
        "Viestissä mainitaan rekisteri ”{hint}”, mutta otsikkorivillä ovat kaikki rekisterin "
        "”{register}” pakolliset sarakkeet, joten tarkistin tiedoston rekisterinä "
        "”{register}”.",
    ),
    "valuation_unknown": (
        "The valuation method is not recorded, so the FIFO and average cost rules were not "
        "checked: `/rackbeat set valuation fifo|average`.",
        "Arvostusmenetelmää ei ole kirjattu, joten FIFO- ja keskihintasääntöjä ei "
        "tarkistettu: `/rackbeat set valuation fifo|average`.",
    ),
    "products_not_known": (
        "Product numbers and the batch and serial number rules were not checked: no products "
        "register is known yet. Share the products file too.",
        "Tuotenumeroita sekä erä- ja sarjanumerosääntöjä ei tarkistettu, koska tuoterekisteriä "
        "ei vielä tunneta. Jaa myös tuotetiedosto.",
    ),
    "suppliers_not_known": (
        "Supplier numbers were not checked: no suppliers register is known yet. Share the "
        "suppliers file too.",
        "Toimittajanumeroita ei tarkistettu, koska toimittajarekisteriä ei vielä tunneta. "
        "Jaa myös toimittajatiedosto.",
    ),
    # --- any register -------------------------------------------------------------------
    "required_missing": ("{column} is required.", "{column} on pakollinen tieto."),
    "too_long": (
        "{length} characters; at most {max} are allowed.",
        "{length} merkkiä, kun enintään {max} on sallittu.",
    ),
    "duplicate_number": (
        "The same number is also on row {first}.",
        "Sama numero on myös rivillä {first}.",
    ),
    "decimal_invalid": (
        "Not a number: write digits with one decimal mark, such as 12,50.",
        "Arvo ei ole luku: kirjoita numerot ja yksi desimaalimerkki, esimerkiksi 12,50.",
    ),
    "decimal_ambiguous": (
        "The column uses “{mark}” as its decimal mark: write this value without “{other}”.",
        "Sarakkeen desimaalimerkki on ”{mark}”: kirjoita tämä arvo ilman merkkiä ”{other}”.",
    ),
    "negative_value": ("The value must not be negative.", "Arvo ei saa olla negatiivinen."),
    "reference_not_number": (
        "{column} is given as a number, not as a name.",
        "{column} annetaan numerona, ei nimenä.",
    ),
    "boolean_invalid": (
        "Not a yes/no value: use 1/0, yes/no, kyllä/ei or x.",
        "Arvo ei ole kyllä/ei-arvo: käytä arvoja 1/0, kyllä/ei tai x.",
    ),
    "date_invalid": (
        "Not a date: write D.M.YYYY, DD.MM.YYYY or YYYY-MM-DD.",
        "Arvo ei ole päivämäärä: kirjoita se muodossa P.K.VVVV, PP.KK.VVVV tai VVVV-KK-PP.",
    ),
    "date_in_future": (
        "The date is in the future: inventory adjustments can only be back-dated.",
        "Päivämäärä on tulevaisuudessa: varastonsäädön voi päivätä vain taaksepäin.",
    ),
    "formula_like_text": (
        "Starts like a spreadsheet formula (=, +, -, @).",
        "Alkaa kuin taulukkolaskennan kaava (=, +, -, @).",
    ),
    # --- products -----------------------------------------------------------------------
    "product_number_not_numeric": (
        "Netvisor matches products by their number: a number of digits only is safest.",
        "Netvisor yhdistää tuotteet tuotenumeron perusteella: pelkistä numeroista koostuva "
        "tuotenumero on varmin.",
    ),
    "product_number_leading_zeros": (
        "Other numbers have {width} digits with leading zeros: was it {guess}? Excel drops "
        "them from numbers: format the column as Text in Excel (or import it as text) and "
        "save again.",
        "Muissa tuotenumeroissa on {width} numeroa etunollineen: oliko tämä {guess}? Excel "
        "poistaa etunollat luvuista: muotoile sarake Excelissä tekstimuotoon (tai tuo se "
        "tekstinä) ja tallenna tiedosto uudelleen.",
    ),
    "excel_scientific": (
        "Excel turned this long number into scientific notation and its last digits are lost: "
        "format the column as Text in Excel (or import it as text) and save again.",
        "Excel muutti tämän pitkän luvun tieteelliseen muotoon, ja sen viimeiset numerot ovat "
        "kadonneet: muotoile sarake Excelissä tekstimuotoon (tai tuo se tekstinä) ja tallenna "
        "tiedosto uudelleen.",
    ),
    "ean_invalid": (
        "A barcode has 8, 12, 13 or 14 digits.",
        "Viivakoodissa on 8, 12, 13 tai 14 numeroa.",
    ),
    "ean_checksum": (
        "Wrong check digit: it should be {digit}.",
        "Väärä tarkistenumero: sen pitäisi olla {digit}.",
    ),
    "ean_checksum.plain": ("Wrong check digit.", "Väärä tarkistenumero."),
    "ean_leading_zeros": (
        "Excel dropped the leading zero: was it {guess}? Format the column as Text in Excel "
        "(or import it as text) and save again.",
        "Excel poisti etunollan: oliko tämä {guess}? Muotoile sarake Excelissä tekstimuotoon "
        "(tai tuo se tekstinä) ja tallenna tiedosto uudelleen.",
    ),
    "unknown_supplier": (
        "The supplier is not in the suppliers register.",
        "Toimittajaa ei ole toimittajarekisterissä.",
    ),
    # Checked against the Rackbeat account too (``{"account": "yes"}``).
    "unknown_supplier.account": (
        "The supplier is neither in the suppliers register nor in Rackbeat.",
        "Toimittajaa ei ole toimittajarekisterissä eikä Rackbeatissa.",
    ),
    "tracking_changed_after_balances": (
        "The product already has a balance, so its batch or serial number tracking can no "
        "longer change.",
        "Tuotteella on jo saldo, joten sen erä- tai sarjanumeroseurantaa ei voi enää muuttaa.",
    ),
    # --- customers and suppliers --------------------------------------------------------
    "customer_number_not_numeric": (
        "The Netvisor integration needs a customer number of digits only.",
        "Netvisor-integraatio vaatii asiakasnumeron, jossa on vain numeroita.",
    ),
    "customer_number_leading_zero": (
        "The Netvisor integration refuses customer numbers that start with 0.",
        "Netvisor-integraatio ei hyväksy nollalla alkavaa asiakasnumeroa.",
    ),
    "supplier_number_not_numeric": (
        "The Netvisor integration needs a supplier number of digits only.",
        "Netvisor-integraatio vaatii toimittajanumeron, jossa on vain numeroita.",
    ),
    "supplier_number_leading_zero": (
        "The Netvisor integration refuses supplier numbers that start with 0.",
        "Netvisor-integraatio ei hyväksy nollalla alkavaa toimittajanumeroa.",
    ),
    "payment_terms_missing": (
        "Payment terms are required: Netvisor rejects orders and invoices without them.",
        "Maksuehto on pakollinen: Netvisor hylkää tilaukset ja laskut, joilta se puuttuu.",
    ),
    "vat_zone_invalid": (
        "Use 1 (domestic), 2 (EU), 3 (outside the EU) or 4 (domestic, VAT-exempt).",
        "Käytä arvoa 1 (kotimaa), 2 (EU), 3 (EU:n ulkopuolinen maa) tai 4 (kotimaa, veroton).",
    ),
    "business_id_invalid": (
        "Not a business ID of the form 1234567-8 (or 12345678).",
        "Arvo ei ole Y-tunnus muodossa 1234567-8 (tai 12345678).",
    ),
    "business_id_checksum": (
        "The check digit of the business ID does not match.",
        "Y-tunnuksen tarkistusnumero ei täsmää.",
    ),
    "vat_number_invalid": ("Not a valid VAT number.", "Arvo ei ole kelvollinen ALV-numero."),
    "vat_number_mismatch": (
        "With business ID {business_id} the VAT number should be {expected}.",
        "Y-tunnuksella {business_id} ALV-numeron pitäisi olla {expected}.",
    ),
    "zip_invalid": (
        "A Finnish postal code has five digits: was it {guess}?",
        "Suomalaisessa postinumerossa on viisi numeroa: oliko se {guess}?",
    ),
    "zip_invalid.plain": (
        "A Finnish postal code has five digits.",
        "Suomalaisessa postinumerossa on viisi numeroa.",
    ),
    "country_invalid": (
        "Not an ISO 3166 country code such as FI or SE.",
        "Arvo ei ole ISO 3166 -maakoodi, kuten FI tai SE.",
    ),
    "country_name": ("Use the country code {code}.", "Käytä maakoodia {code}."),
    "email_invalid": ("Not an email address.", "Arvo ei ole sähköpostiosoite."),
    "currency_invalid": (
        "Not an ISO 4217 currency code in use, such as EUR.",
        "Arvo ei ole käytössä oleva ISO 4217 -valuuttakoodi, kuten EUR.",
    ),
    "iban_invalid": (
        "Not an IBAN: its length or characters do not fit the country (a Finnish IBAN has "
        "18 characters).",
        "Arvo ei ole IBAN: sen pituus tai merkit eivät sovi maahan (suomalaisessa IBANissa "
        "on 18 merkkiä).",
    ),
    "iban_checksum": (
        "The check digits of the IBAN do not match.",
        "IBANin tarkistusnumerot eivät täsmää.",
    ),
    "bic_invalid": ("Not a valid BIC.", "Arvo ei ole kelvollinen BIC-koodi."),
    # --- initial balances ---------------------------------------------------------------
    "unknown_product": (
        "The product is not in the products register.",
        "Tuotetta ei ole tuoterekisterissä.",
    ),
    "unknown_product.account": (
        "The product is neither in the products register nor in Rackbeat.",
        "Tuotetta ei ole tuoterekisterissä eikä Rackbeatissa.",
    ),
    "balance_negative": (
        "Relative is 0, so the quantity is the new balance: it cannot be negative.",
        "Suhteellinen-arvo on 0, joten määrä on uusi saldo, eikä se voi olla negatiivinen.",
    ),
    "cost_price_missing": (
        "Stock is added without a cost price.",
        "Saldoa lisätään ilman kustannushintaa.",
    ),
    "fifo_cost_price_missing": (
        "With FIFO, every row needs the quantity and the cost price together.",
        "FIFO-menetelmässä jokaisella rivillä pitää olla sekä määrä että kustannushinta.",
    ),
    "average_quantity_and_cost_price": (
        "With average cost, import the quantities and the cost prices as two separate files.",
        "Keskihintamenetelmässä määrät ja kustannushinnat tuodaan kahtena erillisenä tiedostona.",
    ),
    "serial_missing": (
        "The product has serial number tracking: give a serial number on each row.",
        "Tuotteella on sarjanumeroseuranta: anna jokaiselle riville sarjanumero.",
    ),
    "serial_quantity_not_one": (
        "One serial number is one unit: the quantity must be 1.",
        "Yksi sarjanumero on yksi kappale: määrän pitää olla 1.",
    ),
    "serial_duplicate": (
        "The same serial number is also on row {first}.",
        "Sama sarjanumero on myös rivillä {first}.",
    ),
    "batch_missing": (
        "The product has batch tracking: give the batch.",
        "Tuotteella on eräseuranta: anna erä.",
    ),
    "serial_not_tracked": (
        "The product has no serial number tracking.",
        "Tuotteella ei ole sarjanumeroseurantaa.",
    ),
    "batch_not_tracked": (
        "The product has no batch tracking.",
        "Tuotteella ei ole eräseurantaa.",
    ),
    # --- checks against the Rackbeat account ------------------------------------------------
    # {what}, {what_part} and {plural} name the account's list in the reader's language
    # (``registers.list.*`` below: Finnish needs the partitive after a negation).
    "unknown_reference": (
        "Rackbeat has no {what} {value}. The closest {plural} it has: {closest}.",
        "Rackbeatissa ei ole {what_part} {value}. Lähimmät, jotka siellä on: {closest}.",
    ),
    "unknown_reference.plain": (
        "Rackbeat has no {what} {value}: the account has no {plural} yet.",
        "Rackbeatissa ei ole {what_part} {value}: tilillä ei ole vielä yhtään {what_part}.",
    ),
    "unknown_reference.several": (
        "Several {plural} are named “{value}” in Rackbeat ({numbers}): give the number.",
        "Rackbeatissa on useita {plural} nimeltä ”{value}” ({numbers}): anna numero.",
    ),
    "reference_by_name": (
        "“{value}” is {what} {number} {name} in Rackbeat: the normalized file uses {number}.",
        "”{value}” on Rackbeatissa {what} {number} {name}: yhtenäistetty tiedosto käyttää "
        "numeroa {number}.",
    ),
    # {changes}: `field 'old' → 'new'` per field the import would change.
    "already_in_rackbeat": (
        "Already in Rackbeat: importing the row would change {changes}.",
        "Numero on jo Rackbeatissa: rivin tuonti muuttaisi nämä: {changes}.",
    ),
    "already_in_rackbeat.plain": (
        "Already in Rackbeat: importing the row changes nothing.",
        "Numero on jo Rackbeatissa: rivin tuonti ei muuta mitään.",
    ),
    "tracking_on_product_with_stock": (
        "Product {number} has stock in Rackbeat ({stock}): batch tracking can no longer be "
        "switched on.",
        "Tuotteella {number} on saldoa Rackbeatissa ({stock}), joten eräseurantaa ei voi enää "
        "ottaa käyttöön.",
    ),
    "tracking_on_product_with_stock.serial": (
        "Product {number} has stock in Rackbeat ({stock}): serial numbers can no longer be "
        "switched on.",
        "Tuotteella {number} on saldoa Rackbeatissa ({stock}), joten sarjanumeroseurantaa ei "
        "voi enää ottaa käyttöön.",
    ),
    # --- files that could not be read (the English reason is the engine's own) ------------
    "empty": ("{reason}", "Tiedosto on tyhjä."),
    "header_only": ("{reason}", "Tiedostossa on otsikkorivi mutta ei yhtään tietoriviä."),
    "binary": ("{reason}", "Tiedosto on binääritiedosto eikä CSV-tiedosto."),
    "binary.line": (
        "{reason}",
        "Rivillä {line} on ohjausmerkkejä, joita tekstissä ei koskaan ole: tiedosto on "
        "vioittunut tai binääritiedosto, ei tuotavaksi sopiva CSV-tiedosto.",
    ),
    "spreadsheet": (
        "{reason}",
        "Tiedosto on taulukkolaskentatiedosto. Tallenna se Excelistä muodossa CSV UTF-8.",
    ),
    "html": ("{reason}", "Tiedosto on verkkosivu (HTML) eikä CSV-tiedosto."),
    "not_text": ("{reason}", "Tiedostoa ei voi lukea CSV-tiedostona."),
    "unknown_register": (
        "{reason}",
        "En tunnista rekisteriä otsikkorivistä. Katso `/rackbeat help csv`.",
    ),
    "ambiguous_register": (
        "{reason}",
        "Otsikkorivi sopii useampaan rekisteriin. Kerro rekisteri viestissä.",
    ),
    "not_found": ("{reason}", "Tiedostoa ei löydy."),
}

# The account's reference lists: (English singular, English plural), (Finnish nominative,
# partitive singular, partitive plural).
_LISTS: dict[str, tuple[tuple[str, str], tuple[str, str, str]]] = {
    "product_groups": (
        ("product group", "product groups"),
        ("tuoteryhmä", "tuoteryhmää", "tuoteryhmiä"),
    ),
    "customer_groups": (
        ("customer group", "customer groups"),
        ("asiakasryhmä", "asiakasryhmää", "asiakasryhmiä"),
    ),
    "supplier_groups": (
        ("supplier group", "supplier groups"),
        ("toimittajaryhmä", "toimittajaryhmää", "toimittajaryhmiä"),
    ),
    "units": (("unit", "units"), ("yksikkö", "yksikköä", "yksiköitä")),
    "locations": (
        ("location", "locations"),
        ("varastopaikka", "varastopaikkaa", "varastopaikkoja"),
    ),
    "payment_terms": (
        ("payment term", "payment terms"),
        ("maksuehto", "maksuehtoa", "maksuehtoja"),
    ),
    "layouts": (("layout", "layouts"), ("lomakepohja", "lomakepohjaa", "lomakepohjia")),
}

MESSAGES: dict[str, dict[str, str]] = {
    # How an issue line and the report name a column: the user's header, then the
    # canonical name when it differs (``*Tuoteryhmä* (group)``).
    "registers.column.label": {"en": "*{header}*{canonical}", "fi": "*{header}*{canonical}"},
    "registers.column.canonical": {"en": " ({name})", "fi": " ({name})"},
    # --- the error report file ----------------------------------------------------------
    "registers.report.header.row": {"en": "row", "fi": "rivi"},
    "registers.report.header.column": {"en": "column", "fi": "sarake"},
    "registers.report.header.value": {"en": "value", "fi": "arvo"},
    # Scripts read the code column by its header: it stays ``code`` in every language.
    "registers.report.header.code": {"en": "code", "fi": "code"},
    "registers.report.header.severity": {"en": "severity", "fi": "vakavuus"},
    "registers.report.header.message": {"en": "message", "fi": "selitys"},
    "registers.report.severity.error": {"en": "error", "fi": "virhe"},
    "registers.report.severity.warning": {"en": "warning", "fi": "varoitus"},
}

for _name, (_en, _fi) in _COLUMNS.items():
    MESSAGES[f"registers.column.{_name}"] = {"en": _en, "fi": _fi}
for _list, ((_one, _many), (_nominative, _partitive, _partitive_many)) in _LISTS.items():
    MESSAGES[f"registers.list.{_list}.what"] = {"en": _one, "fi": _nominative}
    MESSAGES[f"registers.list.{_list}.what_part"] = {"en": _one, "fi": _partitive}
    MESSAGES[f"registers.list.{_list}.plural"] = {"en": _many, "fi": _partitive_many}
for _key, (_en, _fi) in _ISSUES.items():
    MESSAGES[f"registers.issue.{_key}"] = {"en": _en, "fi": _fi}

COLUMN_NAMES: frozenset[str] = frozenset(_COLUMNS)
