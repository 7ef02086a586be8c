"""Strings shared by every area: the command surface, refusals and apologies."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "error.apology": {
        "en": ":warning: Something went wrong on our side and nothing was changed. "
        "Please try again in a moment; if it keeps happening, tell your bot admin.",
        "fi": ":warning: Meillä meni jotain vikaan, eikä mitään muutettu. "
        "Yritä hetken päästä uudelleen; jos vika toistuu, kerro botin ylläpitäjälle.",
    },
    "error.refused": {
        "en": ":no_entry: {reason}",
        "fi": ":no_entry: {reason}",
    },
    "error.database": {
        "en": ":hourglass: The bot cannot reach its database right now, so nothing was changed. "
        "Please try again in a minute.",
        "fi": ":hourglass: Botti ei juuri nyt tavoita tietokantaansa, joten mitään ei muutettu. "
        "Yritä minuutin päästä uudelleen.",
    },
    "error.form_expired": {
        "en": ":hourglass: Slack opens a form only within a few seconds of the click, and this "
        "one took longer. Nothing was changed: please click (or type the command) again.",
        "fi": ":hourglass: Slack avaa lomakkeen vain muutaman sekunnin sisällä napsautuksesta, "
        "ja nyt siihen meni kauemmin. Mitään ei muutettu: napsauta (tai kirjoita komento) "
        "uudelleen.",
    },
    "error.checklist_button_elsewhere": {
        "en": "This button works only on a channel's checklist message.",
        "fi": "Tämä painike toimii vain kanavan tarkistuslistaviestissä.",
    },
    "error.button_elsewhere": {
        "en": "This button works only in a channel.",
        "fi": "Tämä painike toimii vain kanavalla.",
    },
    "error.command_incomplete": {
        "en": "Slack sent this command without a team, channel or user; please try again.",
        "fi": "Slack lähetti komennon ilman työtilan, kanavan tai käyttäjän tietoja. "
        "Yritä uudelleen.",
    },
    "error.no_trigger": {
        "en": "Slack did not send what is needed to open the window; please try again.",
        "fi": "Slack ei lähettänyt ikkunan avaamiseen tarvittavaa tunnistetta. Yritä uudelleen.",
    },
    "command.unknown": {
        "en": "I don't know `{sub}`. Here is what I can do:",
        "fi": "En tunne komentoa `{sub}`. Tässä mitä osaan:",
    },
    "command.wrong_place": {
        "en": "Use `/rackbeat` in the channel of the company's onboarding, "
        "not in a direct message.",
        "fi": "Käytä `/rackbeat`-komentoa yrityksen käyttöönottokanavalla, ei yksityisviestissä.",
    },
}
