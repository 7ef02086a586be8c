"""Why Rackbeat or Netvisor could not be read, in words (the sources give only a code).

``core.sources`` raises errors with a stable ``code`` (``timeout``, ``unauthorized``,
``http_503``, Netvisor's own ``AUTHENTICATION_FAILED`` …); ``handlers.blocks.upstream`` picks
the sentence here. Netvisor codes we have no words for are quoted as they are, in a code span.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "upstream.timeout": {
        "en": "{source} did not answer in time.",
        "fi": "{source} ei vastannut ajoissa.",
    },
    "upstream.connection": {
        "en": "{source} could not be reached.",
        "fi": "Palveluun {source} ei saatu yhteyttä.",
    },
    "upstream.rate_limited": {
        "en": "{source} asked us to slow down (HTTP 429).",
        "fi": "{source} pyysi hidastamaan pyyntöjä (HTTP 429).",
    },
    "upstream.server_error": {
        "en": "{source} is not answering properly (HTTP {status}).",
        "fi": "{source} ei vastaa normaalisti (HTTP {status}).",
    },
    "upstream.client_error": {
        "en": "{source} refused the request (HTTP {status}).",
        "fi": "{source} hylkäsi pyynnön (HTTP {status}).",
    },
    "upstream.malformed": {
        "en": "The answer from {source} could not be used.",
        "fi": "Palvelun {source} vastausta ei voitu käyttää.",
    },
    # With the parser's own (technical, English) account of what was wrong, as code.
    "upstream.malformed.detail": {
        "en": "The answer from {source} could not be used (`{detail}`).",
        "fi": "Palvelun {source} vastausta ei voitu käyttää (`{detail}`).",
    },
    "upstream.unsafe_xml": {
        "en": "The answer from {source} contained forbidden XML.",
        "fi": "Palvelun {source} vastauksessa oli kiellettyä XML:ää.",
    },
    "upstream.unauthorized": {
        "en": "{source} refused the API token (HTTP 401).",
        "fi": "{source} hylkäsi API-tunnisteen (HTTP 401).",
    },
    "upstream.forbidden": {
        "en": "The API token may not read this in {source} (HTTP 403).",
        "fi": "API-tunnisteella ei ole lukuoikeutta tähän palvelussa {source} (HTTP 403).",
    },
    "upstream.not_found": {
        "en": "{source} does not know this address (HTTP 404): check `RACKBEAT_API_URL`.",
        "fi": "{source} ei tunne tätä osoitetta (HTTP 404): tarkista asetus `RACKBEAT_API_URL`.",
    },
    "upstream.invalid_request": {
        "en": "{source} refused the request as invalid (HTTP 422).",
        "fi": "{source} hylkäsi pyynnön virheellisenä (HTTP 422).",
    },
    "upstream.secret_key": {
        "en": "The stored credentials cannot be opened: the bot's `SECRET_KEY` is missing or "
        "has changed.",
        "fi": "Tallennettuja tunnuksia ei voi avata: botin `SECRET_KEY` puuttuu tai on vaihtunut.",
    },
    "upstream.AUTHENTICATION_FAILED": {
        "en": "{source} refused the credentials (`AUTHENTICATION_FAILED`).",
        "fi": "{source} hylkäsi tunnukset (`AUTHENTICATION_FAILED`).",
    },
    "upstream.SYSTEM_MAINTENANCE": {
        "en": "{source} is down for maintenance (`SYSTEM_MAINTENANCE`).",
        "fi": "{source} on huoltokatkolla (`SYSTEM_MAINTENANCE`).",
    },
    "upstream.not_connected": {
        "en": "{source} is not connected.",
        "fi": "{source} ei ole yhdistettynä.",
    },
    "upstream.other": {
        "en": "{source} answered `{code}`.",
        "fi": "{source} vastasi koodilla `{code}`.",
    },
}
