"""Issues in the reader's language: thread lines, sentences and the error report file."""

from __future__ import annotations

import csv
import io
from datetime import date

from core.registers import FileInput, validate_files
from core.registers.codes import CODES
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
    from core.registers.model import Issue, Severity

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
    from core.registers.model import Issue, Severity

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
