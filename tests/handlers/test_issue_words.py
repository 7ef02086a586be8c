"""Issues in the reader's language: thread lines, sentences and the error report file."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from core.account.model import AccountSnapshot, Reference
from core.registers import FileInput, validate_files
from core.registers.codes import CODES
from core.registers.model import Issue, Severity
from core.registers.report import group_issues
from handlers.blocks.issues import describe_issue, error_report
from handlers.blocks.registers import issue_line
from handlers.messages import t

# Finnish headers as a Finnish bookkeeper's Excel writes them; `Väri` is not a column.
FINNISH = (
    "Tuotenumero;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta;Väri\n"
    "1;Vasara;Työkalut;5;12,50;punainen\n"
)
# The same file without its cost price column.
NO_COST = "Tuotenumero;Nimi;Tuoteryhmä;Myyntihinta\n1;Vasara;1;12,50\n"


def check(text: str):  # type: ignore[no-untyped-def]
    file = FileInput("tuotteet.csv", data=text.encode())
    return validate_files([file], today=date(2024, 1, 1)).files[0]


def lines(lang: str, text: str = FINNISH) -> list[str]:
    result = check(text)
    groups, _ = group_issues(result)
    return [issue_line(g, lang, result.headers) for g in groups]


def test_issue_lines_name_the_column_by_the_users_header_then_the_canonical_name() -> None:
    shown = lines("fi")
    assert ":x: *Nimi numeron sijaan*, sarake *Tuoteryhmä* (group): rivi 2; esim. `Työkalut`" in (
        shown
    )
    assert lines("fi", NO_COST) == [
        ":x: *Pakollinen sarake puuttuu*: *Kustannushinta* (cost_price) puuttuu: lisää se millä "
        "tahansa hyväksytyllä otsikolla."
    ]
    assert any(line.endswith("En tunne saraketta ”Väri”, joten ohitan sen.") for line in shown)


def test_the_same_lines_in_english_keep_the_users_header() -> None:
    shown = lines("en")
    assert (
        ":x: *Name instead of a number*, column *Tuoteryhmä* (group): row 2; e.g. `Työkalut`"
        in (shown)
    )
    assert any("I don't know the column “Väri”" in line for line in shown)


def test_a_guess_for_a_missing_column_is_offered_in_finnish() -> None:
    result = check("number;name;group;cost_price;sales\n1;A;1;1;1\n")
    groups, _ = group_issues(result)
    line = issue_line(groups[0], "fi", result.headers)
    assert line.endswith("*Myyntihinta* (sales_price) puuttuu. Tarkoititko otsikkoa ”sales”?")


def test_the_error_report_is_finnish_but_keeps_its_codes() -> None:
    table = list(
        csv.reader(
            io.StringIO(error_report(check(FINNISH), "fi").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert table[0] == ["rivi", "sarake", "arvo", "code", "vakavuus", "selitys"]
    by_code = {row[3]: row for row in table[1:]}
    assert by_code["reference_not_number"] == [
        "2",
        "Tuoteryhmä (group)",
        "Työkalut",
        "reference_not_number",
        "virhe",
        "Tuoteryhmä (group) annetaan numerona, ei nimenä.",
    ]
    assert by_code["unknown_column"][4:] == [
        "varoitus",
        "En tunne saraketta ”Väri”, joten ohitan sen.",
    ]
    missing = error_report(check(NO_COST), "fi").decode("utf-8-sig").splitlines()[1]
    assert missing == (
        ";;;missing_column;virhe;"
        "Kustannushinta (cost_price) puuttuu: lisää se millä tahansa hyväksytyllä otsikolla."
    )


def test_the_english_report_has_english_words_and_the_same_codes() -> None:
    report = error_report(check(FINNISH), "en").decode("utf-8-sig").splitlines()
    assert report[0] == "row;column;value;code;severity;message"
    assert "2;Tuoteryhmä (group);Työkalut;reference_not_number;error;" in report[2]


def test_counts_in_sentences_follow_the_language_and_agree_with_one() -> None:
    rows = "".join(f"{n};A;1;1;1\n" for n in range(1, 1203))
    result = check(f"number;name;group;cost_price;sales_price\n{rows}1;B;1;1;1\n")
    issue = next(i for i in result.issues if i.code == "duplicate_number")
    assert describe_issue(issue, "fi") == "Sama numero on myös rivillä 2."

    many = Issue(
        Severity.WARNING,
        None,
        None,
        "encoding_replaced",
        None,
        {"count": "1204", "encoding": "cp1252"},
    )
    one = Issue(
        Severity.WARNING,
        None,
        None,
        "encoding_replaced",
        None,
        {"count": "1", "encoding": "cp1252"},
    )
    assert describe_issue(many, "fi").startswith("1\u00a0204 merkkiä ei voitu lukea")
    assert describe_issue(one, "fi").startswith("Yhtä merkkiä ei voitu lukea")
    assert describe_issue(many, "en").startswith("1,204 characters could not be read")


def test_every_issue_code_has_words_in_both_languages() -> None:
    for code in CODES:
        for lang in ("en", "fi"):
            assert t(f"registers.issue.{code}", lang)


def test_a_code_without_words_is_named_rather_than_crashing_the_reply() -> None:
    future = Issue(Severity.WARNING, None, None, "header_from_the_future", None, {})
    assert describe_issue(future, "fi") == "header_from_the_future"


def test_header_notes_and_a_headerless_column_have_their_own_finnish_words() -> None:
    # `Varasto` with quantities is stock balances: a products file reads it and leaves it out.
    stock = check(FINNISH.replace(";Väri\n", ";Varasto\n").replace("punainen", "12,5"))
    (ignored,) = (i for i in stock.issues if i.code == "header_ambiguous")
    assert describe_issue(ignored, "fi", stock.headers) == (
        "Tulkitsin otsikon ”Varasto” varastosaldoiksi ja jätin sarakkeen pois: saldot tuodaan "
        "omana tiedostonaan."
    )
    headerless = check("Tuotenumero;;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n1;x;A;1;1;1\n")
    assert [describe_issue(i, "fi", headerless.headers) for i in headerless.issues] == [
        "Sarakkeella 2 ei ole otsikkoa, joten ohitan sen."
    ]
    guessed = check("Tuotenumro;Nimi;Tuoteryhmä;Kustannushinta;Myyntihinta\n1;A;1;1;1\n")
    assert describe_issue(guessed.issues[0], "fi", guessed.headers).startswith(
        "Tulkitsin otsikon ”Tuotenumro” tarkoittavan saraketta *Numero* (number), koska"
    )


def _account():  # type: ignore[no-untyped-def]

    product = {"number": "1002", "name": "Saha", "group": "1", "cost_price": "5"}
    return AccountSnapshot(
        "Kone ja Rauta Oy",
        datetime(2026, 12, 6, 14, 3, tzinfo=UTC),
        lists={
            "product_groups": (
                Reference("1", "Tarvikkeet"),
                Reference("2", "Työkalut"),
                Reference("3", "Sähkö"),
                Reference("4", "Sähkö"),
            ),
            "units": (),
        },
        records={
            "products": ({**product, "sales_price": "10", "stock": "5", "batch_tracking": False},)
        },
    ).facts()


ACCOUNT_FILE = (
    "number;name;group;cost_price;sales_price;unit;batch_tracking\n"
    "2002;Ruuvi;7;1;2;;0\n"  # row 2: group 7 does not exist
    "2003;Pora;työkalut;1;2;;0\n"  # row 3: group by name → 2
    "1002;Saha;1;5;12;;1\n"  # row 4: exists with stock: price changes, batch switched on
    "2004;Johto;sähkö;1;2;;0\n"  # row 5: a name two groups share
    "2005;Kela;1;1;2;rulla;0\n"  # row 6: the account has no units at all
)


def test_the_account_checks_speak_both_languages_with_their_facts() -> None:
    file = FileInput("tuotteet.csv", data=ACCOUNT_FILE.encode())
    result = validate_files([file], account=_account(), today=date(2026, 12, 6)).files[0]
    said = {
        (i.row, i.code): (describe_issue(i, "en", plain=True), describe_issue(i, "fi", plain=True))
        for i in result.issues
    }
    assert said[(2, "unknown_reference")] == (
        "Rackbeat has no product group 7. The closest product groups it has: 1 Tarvikkeet, "
        "2 Työkalut, 3 Sähkö, 4 Sähkö.",
        "Rackbeatissa ei ole tuoteryhmää 7. Lähimmät, jotka siellä on: 1 Tarvikkeet, "
        "2 Työkalut, 3 Sähkö, 4 Sähkö.",
    )
    assert said[(3, "reference_by_name")] == (
        "“työkalut” is product group 2 Työkalut in Rackbeat: the normalized file uses 2.",
        "”työkalut” on Rackbeatissa tuoteryhmä 2 Työkalut: yhtenäistetty tiedosto käyttää "
        "numeroa 2.",
    )
    assert said[(4, "already_in_rackbeat")] == (
        "Already in Rackbeat: importing the row would change sales_price '10' → '12', "
        "batch_tracking '0' → '1'.",
        "Numero on jo Rackbeatissa: rivin tuonti muuttaisi nämä: sales_price '10' → '12', "
        "batch_tracking '0' → '1'.",
    )
    assert said[(4, "tracking_on_product_with_stock")][1] == (
        "Tuotteella 1002 on saldoa Rackbeatissa (5), joten eräseurantaa ei voi enää ottaa käyttöön."
    )
    assert said[(5, "unknown_reference")] == (
        "Several product groups are named “sähkö” in Rackbeat (3, 4): give the number.",
        "Rackbeatissa on useita tuoteryhmiä nimeltä ”sähkö” (3, 4): anna numero.",
    )
    assert said[(6, "unknown_reference")] == (
        "Rackbeat has no unit rulla: the account has no units yet.",
        "Rackbeatissa ei ole yksikköä rulla: tilillä ei ole vielä yhtään yksikköä.",
    )


def test_an_inventory_product_missing_from_the_account_too_says_so() -> None:
    text = "date;product;location;quantity;cost_price;reason\n01.12.2026;9999;1;5;1;alku\n"
    file = FileInput("saldot.csv", data=text.encode())
    result = validate_files([file], account=_account(), today=date(2026, 12, 6)).files[0]
    (missing,) = (i for i in result.issues if i.code == "unknown_product")
    assert describe_issue(missing, "fi") == "Tuotetta ei ole tuoterekisterissä eikä Rackbeatissa."
    assert describe_issue(missing, "en").endswith("nor in Rackbeat.")


def test_guard_warnings_name_encodings_and_registers_in_the_readers_words() -> None:
    overruled = Issue(
        Severity.WARNING,
        None,
        None,
        "register_hint_overruled",
        "customers",
        {"hint": "customers", "register": "products"},
    )
    assert describe_issue(overruled, "fi") == (
        "Viestissä mainitaan rekisteri ”asiakkaat”, mutta otsikkorivillä ovat kaikki rekisterin "
        "”tuotteet” pakolliset sarakkeet, joten tarkistin tiedoston rekisterinä ”tuotteet”."
    )
    assert describe_issue(overruled, "en").startswith("The message names customers, but")
    one = Issue(
        Severity.WARNING, None, None, "encoding_mixed", None, {"count": "1", "encoding": "cp1252"}
    )
    assert describe_issue(one, "fi").startswith(
        "Tiedostossa on sekaisin UTF-8:aa ja merkistöä cp1252: yksi rivi luettiin"
    )
    # A stray control byte past the sniffed start: the refusal names its line.
    rows = "".join(f"{n};A;1;1;1\n" for n in range(1, 2001))
    damaged = check(f"number;name;group;cost_price;sales_price\n{rows}9;A\x01;1;1;1\n")
    assert damaged.unreadable
    assert describe_issue(damaged.issues[0], "fi").startswith("Rivillä 2002 on ohjausmerkkejä")
    assert describe_issue(damaged.issues[0], "en").startswith("Line 2002 has control characters")
