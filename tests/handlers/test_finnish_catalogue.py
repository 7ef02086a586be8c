"""Every message key rendered in Finnish reads as Finnish: no English sentence, one "sinä".

Each template is filled with neutral sample parameters; code spans, emoji, mentions, links and
the names of products and standards are set aside; what is left must not contain a common
English word, nor the plural "te" a Finnish team would read as a change of voice.
"""

from __future__ import annotations

import re
import string

import pytest

from handlers.messages import CATALOG, t


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are English and not also Finnish ("on", "no", "se", "me" are Finnish words).
ENGLISH = _words(
    """
    the and is are of to for with not an at by from this that it you your be was has have
    will can or if file files number numbers row rows column columns error errors warning
    warnings missing invalid unknown required please check done step steps name value date
    now here there what which when where who why how all any some more less than then only
    also still already never been does did get use used see show shows run start started
    strategy mixed onboarding settings products customers suppliers inventory import report
    channel members owner history limit forecast left days series order orders invoice
    invoices connected failing since answer answered could would should must may ok yes
    skipped skip reopen snooze snoozed drop click button set field block next largest
    """
)

# Names and standards that are the same in Finnish text (case-insensitive, whole words).
NAMES = _words(
    """
    rackbeat netvisor store slack excel fifo csv utf-8 api iban bic ean gtin iso http xml
    json eu y-tunnus alv
    """
)

# Keys whose Finnish is deliberately not Finnish.
NOT_FINNISH = {
    "registers.report.header.code",  # scripts read the error report's code column by name
}

# The plural "you" (te) and its verb forms: the bot says "sinä" to everyone.
TE = re.compile(
    r"\b(te|teidän|teille|teitä|teistä|teillä|teiltä|teihin)\b"
    # Plural present tense: "tarvitsette", "olette", "voitte".
    r"|\b\w{2,}(?:ette|atte|ätte|itte|otte|ötte|utte|ytte)\b"
    # Plural imperatives (3rd person singulars such as "hylkää", "jatkaa" end alike).
    r"|\b(kokeil|tarkista|lisät|teh|otta|katso|valit|tallenta|jaka|pyytä|merkit|kerto|korjat"
    r"|käyttä|aloitta|yrittä|odotta|poista|avat|ohitta|kirjoitta|liittä)(kaa|kää)\b",
    re.IGNORECASE,
)

_CODE = re.compile(r"`[^`]*`")
_EMOJI = re.compile(r":[a-z0-9_+-]+:")
_SLACK = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[A-Za-zÅÄÖåäö][A-Za-zÅÄÖåäö'-]*")
SAMPLE = "Ååå"  # a parameter value that is no word of either language


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def finnish(key: str) -> str:
    params = dict.fromkeys(fields(CATALOG[key]["fi"]), SAMPLE)
    return t(key, "fi", **params)


def prose(text: str) -> str:
    """The text a reader reads as language: code spans, emoji, mentions and links removed."""
    for pattern in (_CODE, _EMOJI, _SLACK):
        text = pattern.sub(" ", text)
    return text


def english_words(text: str) -> list[str]:
    found = []
    for word in _WORD.findall(prose(text)):
        lowered = word.lower().strip("'-")
        if lowered in NAMES or word == SAMPLE:
            continue
        if lowered in ENGLISH:
            found.append(word)
    return found


@pytest.mark.parametrize("key", sorted(k for k in CATALOG if k not in NOT_FINNISH))
def test_finnish_text_has_no_english_words(key: str) -> None:
    assert english_words(finnish(key)) == [], finnish(key)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_finnish_text_says_sina_not_te(key: str) -> None:
    assert not TE.search(prose(finnish(key))), finnish(key)


def test_the_check_finds_english_in_a_finnish_looking_sentence() -> None:
    assert english_words("Yhteys ei onnistunut: Rackbeat refused the API token (HTTP 401).") == [
        "the"
    ]
    assert english_words("Käytä `/rackbeat numbering check` ja :white_check_mark:") == []
    assert TE.search("Tarkistakaa tiedosto") and not TE.search("Tarkista tiedosto")
    assert TE.search("Vain jos tarvitsette niitä.") and not TE.search("Vain jos tarvitset niitä.")
