"""Strings of the installation pages (`/slack/oauth_redirect`), English and Finnish.

The installing person's language is not known yet: the page follows the browser's
Accept-Language (`bot/oauth.py`).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "install.title": {
        "en": "Rackbeat onboarding for Slack",
        "fi": "Rackbeat-käyttöönotto Slackissa",
    },
    "install.done": {
        "en": "The bot is installed in {team}. Invite it to the company's channel with "
        "/invite @rackbeat and type /rackbeat start there.",
        "fi": "Botti on asennettu työtilaan {team}. Kutsu se yrityksen kanavalle komennolla "
        "/invite @rackbeat ja kirjoita siellä /rackbeat start.",
    },
    "install.open_slack": {
        "en": "Open Slack",
        "fi": "Avaa Slack",
    },
    "install.failed": {
        "en": "The installation did not finish, and nothing was stored.",
        "fi": "Asennus ei valmistunut, eikä mitään tallennettu.",
    },
    "install.failed.access_denied": {
        "en": "You cancelled the installation on Slack's page.",
        "fi": "Peruit asennuksen Slackin sivulla.",
    },
    "install.failed.invalid_browser": {
        "en": "This link was not started in this browser, or it was already used. Start "
        "again from the installation page.",
        "fi": "Tätä linkkiä ei avattu tässä selaimessa, tai sitä on jo käytetty. Aloita "
        "alusta asennussivulta.",
    },
    "install.failed.invalid_state": {
        "en": "This installation link has expired or was already used. Start again from the "
        "installation page.",
        "fi": "Tämä asennuslinkki on vanhentunut tai jo käytetty. Aloita alusta asennussivulta.",
    },
    "install.failed.missing_code": {
        "en": "Slack sent no authorisation code. Start again from the installation page.",
        "fi": "Slack ei lähettänyt valtuutuskoodia. Aloita alusta asennussivulta.",
    },
    "install.failed.invalid_code": {
        "en": "Slack did not accept the authorisation code (it may have expired). Start "
        "again from the installation page.",
        "fi": "Slack ei hyväksynyt valtuutuskoodia (se on voinut vanhentua). Aloita alusta "
        "asennussivulta.",
    },
    "install.failed.other": {
        "en": "Slack reported an error: {reason}. Start again from the installation page, "
        "or ask the bot's administrator.",
        "fi": "Slack ilmoitti virheestä: {reason}. Aloita alusta asennussivulta tai kysy "
        "botin ylläpitäjältä.",
    },
    "install.again": {
        "en": "Install again",
        "fi": "Asenna uudelleen",
    },
}
