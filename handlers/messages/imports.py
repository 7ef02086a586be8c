"""Strings of the Rackbeat import (preview, progress, result), English and Finnish."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "imports.button.preview": {
        "en": "Import into Rackbeat…",
        "fi": "Tuo Rackbeatiin…",
    },
    "imports.previewing": {
        "en": ":hourglass_flowing_sand: Comparing *{name}* with the Rackbeat account…",
        "fi": ":hourglass_flowing_sand: Verrataan tiedostoa *{name}* Rackbeat-tiliin…",
    },
    "imports.preview.title": {
        "en": "*Import preview: {name}* ({register}) — nothing has been sent yet.",
        "fi": "*Tuonnin esikatselu: {name}* ({register}) — mitään ei ole vielä lähetetty.",
    },
    "imports.preview.counts": {
        "en": "• {creates} to create\n• {updates} existing with changes (updated only if you "
        "choose so; the changes are in the diff file)\n• {unchanged} existing and unchanged: "
        "skipped",
        "fi": "• {creates} luodaan\n• {updates} olemassa olevaa, joissa on muutoksia (päivitetään "
        "vain, jos valitset niin; muutokset ovat erotiedostossa)\n• {unchanged} olemassa olevaa "
        "ilman muutoksia: ohitetaan",
    },
    "imports.preview.references": {
        "en": "References checked against the account just now: {lists}.",
        "fi": "Viittaukset tarkistettiin tililtä juuri nyt: {lists}.",
    },
    "imports.preview.not_sent": {
        "en": "Columns the import does not send (set them in Rackbeat): {columns}.",
        "fi": "Sarakkeet, joita tuonti ei lähetä (aseta ne Rackbeatissa): {columns}.",
    },
    "imports.preview.nothing": {
        "en": "Every record of the file already exists in Rackbeat as it is: nothing to import.",
        "fi": "Tiedoston kaikki tietueet ovat jo Rackbeatissa sellaisinaan: tuotavaa ei ole.",
    },
    "imports.preview.stopped": {
        "en": ":no_entry: *The import cannot start: {name}*. Nothing was sent. Fix these in the "
        "file or in Rackbeat, then share the file again:\n{problems}",
        "fi": ":no_entry: *Tuontia ei voi aloittaa: {name}*. Mitään ei lähetetty. Korjaa nämä "
        "tiedostoon tai Rackbeatiin ja jaa tiedosto uudelleen:\n{problems}",
    },
    "imports.problem.unknown_reference": {
        "en": "• row {row} (`{number}`): `{column}` {value} does not exist in Rackbeat",
        "fi": "• rivi {row} (`{number}`): `{column}` {value} ei ole Rackbeatissa",
    },
    "imports.problem.tracking_on_product_with_stock": {
        "en": "• row {row} (`{number}`): the product has stock, its `{column}` tracking can no "
        "longer be changed",
        "fi": "• rivi {row} (`{number}`): tuotteella on saldoa, sen seurantaa `{column}` ei voi "
        "enää muuttaa",
    },
    "imports.problem.more": {
        "en": "…and {count} more.",
        "fi": "…ja {count} muuta.",
    },
    "imports.button.create": {
        "en": "Import: create {count} new",
        "fi": "Tuo: luo {count} uutta",
    },
    "imports.button.update": {
        "en": "Import and update {count} existing",
        "fi": "Tuo ja päivitä {count} olemassa olevaa",
    },
    "imports.button.cancel": {"en": "Cancel import", "fi": "Peruuta tuonti"},
    "imports.button.retry": {
        "en": "Retry the failed records",
        "fi": "Yritä epäonnistuneita uudelleen",
    },
    "imports.button.resume": {"en": "Resume import", "fi": "Jatka tuontia"},
    "imports.diff.comment": {
        "en": "What an update would change in Rackbeat (field, value in Rackbeat, value in the "
        "file).",
        "fi": "Mitä päivitys muuttaisi Rackbeatissa (kenttä, arvo Rackbeatissa, arvo tiedostossa).",
    },
    "imports.queued": {
        "en": ":arrow_forward: <@{user}> started the import of *{name}*: {total} records.",
        "fi": ":arrow_forward: <@{user}> aloitti tiedoston *{name}* tuonnin: {total} tietuetta.",
    },
    "imports.progress": {
        "en": ":arrows_counterclockwise: Importing *{name}*: {done} / {total} records sent, "
        "{failed} failed so far.",
        "fi": ":arrows_counterclockwise: Tuodaan tiedostoa *{name}*: {done} / {total} tietuetta "
        "lähetetty, {failed} epäonnistunut tähän mennessä.",
    },
    "imports.done": {
        "en": ":white_check_mark: *Import of {name} finished*: {created} created, {updated} "
        "updated, {unchanged} unchanged, {failed} failed. Every record's outcome is in the "
        "result file.",
        "fi": ":white_check_mark: *Tiedoston {name} tuonti valmis*: {created} luotu, {updated} "
        "päivitetty, {unchanged} ennallaan, {failed} epäonnistui. Jokaisen tietueen tulos on "
        "tulostiedostossa.",
    },
    "imports.cancelled": {
        "en": ":octagonal_sign: *Import of {name} cancelled.* {created} records were created "
        "and stay in Rackbeat ({updated} updated); {left} were not sent.",
        "fi": ":octagonal_sign: *Tiedoston {name} tuonti peruttu.* {created} tietuetta luotiin "
        "ja ne jäävät Rackbeatiin ({updated} päivitetty); {left} jäi lähettämättä.",
    },
    "imports.stopped.unauthorized": {
        "en": ":warning: *Import of {name} stopped*: Rackbeat refused the API token (it may have "
        "been revoked). {created} created so far, {left} left. Connect again with "
        "`/rackbeat connect rackbeat`, then press *Resume import*: nothing is sent twice.",
        "fi": ":warning: *Tiedoston {name} tuonti pysähtyi*: Rackbeat hylkäsi API-avaimen (se on "
        "ehkä peruttu). {created} luotu tähän mennessä, {left} jäljellä. Yhdistä uudelleen "
        "komennolla `/rackbeat connect rackbeat` ja paina *Jatka tuontia*: mitään ei lähetetä "
        "kahdesti.",
    },
    "imports.stopped.disconnected": {
        "en": ":warning: *Import of {name} stopped*: Rackbeat is no longer connected. {created} "
        "created so far, {left} left. Connect with `/rackbeat connect rackbeat`, then press "
        "*Resume import*.",
        "fi": ":warning: *Tiedoston {name} tuonti pysähtyi*: Rackbeat-yhteyttä ei enää ole. "
        "{created} luotu tähän mennessä, {left} jäljellä. Yhdistä komennolla "
        "`/rackbeat connect rackbeat` ja paina *Jatka tuontia*.",
    },
    "imports.stopped.unavailable": {
        "en": ":warning: *Import of {name} paused*: Rackbeat did not answer through several "
        "tries. {created} created so far, {left} left. Press *Resume import* later: records "
        "whose call may have arrived are looked up first, nothing is sent twice.",
        "fi": ":warning: *Tiedoston {name} tuonti keskeytyi*: Rackbeat ei vastannut useista "
        "yrityksistä huolimatta. {created} luotu tähän mennessä, {left} jäljellä. Paina "
        "myöhemmin *Jatka tuontia*: mahdollisesti perille menneet tarkistetaan ensin, mitään ei "
        "lähetetä kahdesti.",
    },
    "imports.stopped.other": {
        "en": ":warning: *Import of {name} stopped* ({code}). {created} created so far, {left} "
        "left. Press *Resume import* to go on.",
        "fi": ":warning: *Tiedoston {name} tuonti pysähtyi* ({code}). {created} luotu tähän "
        "mennessä, {left} jäljellä. Jatka painamalla *Jatka tuontia*.",
    },
    "imports.result.comment": {
        "en": "Import result of {name}: one line per record (row, number, outcome, Rackbeat id, "
        "message).",
        "fi": "Tiedoston {name} tuonnin tulos: rivi per tietue (rivi, numero, tulos, "
        "Rackbeat-tunnus, viesti).",
    },
    "imports.refused.not_connected": {
        "en": "Rackbeat is not connected to this onboarding. Connect it with "
        "`/rackbeat connect rackbeat` (an API token from Rackbeat: Settings → API), then press "
        "the import button again.",
        "fi": "Rackbeatia ei ole yhdistetty tähän käyttöönottoon. Yhdistä komennolla "
        "`/rackbeat connect rackbeat` (API-avain Rackbeatista: Asetukset → API) ja paina "
        "tuontipainiketta uudelleen.",
    },
    "imports.refused.file_changed": {
        "en": "The file changed since this preview (a newer file was shared in the thread): "
        "preview again from the newer file's result.",
        "fi": "Tiedosto on muuttunut esikatselun jälkeen (ketjuun jaettiin uudempi tiedosto): "
        "esikatsele uudelleen uudemman tiedoston tuloksesta.",
    },
    "imports.refused.stale": {
        "en": "This preview is no longer current (started, cancelled or replaced by a newer one).",
        "fi": "Tämä esikatselu ei ole enää ajan tasalla (aloitettu, peruttu tai korvattu "
        "uudemmalla).",
    },
    "imports.refused.running": {
        "en": "This file is already being imported: follow its progress message in the thread.",
        "fi": "Tätä tiedostoa tuodaan jo: seuraa edistymisviestiä ketjussa.",
    },
    "imports.refused.not_clean": {
        "en": "Only a file without errors can be imported: fix the errors and share it again.",
        "fi": "Vain virheetön tiedosto voidaan tuoda: korjaa virheet ja jaa tiedosto uudelleen.",
    },
    "imports.refused.not_running": {
        "en": "This import is not running any more.",
        "fi": "Tämä tuonti ei ole enää käynnissä.",
    },
    "imports.refused.unreachable": {
        "en": "Rackbeat could not be read for the preview ({reason}). Nothing was sent; try again "
        "in a moment.",
        "fi": "Rackbeatia ei voitu lukea esikatselua varten ({reason}). Mitään ei lähetetty; "
        "yritä hetken kuluttua uudelleen.",
    },
    "imports.cancelling": {
        "en": ":octagonal_sign: <@{user}> asked to cancel: the calls already under way finish, "
        "nothing more is sent.",
        "fi": ":octagonal_sign: <@{user}> pyysi peruuttamaan: jo lähteneet kutsut valmistuvat, "
        "muuta ei lähetetä.",
    },
    "imports.inventory_note": {
        "en": "Initial balances are not sent through the API: import the normalized file in "
        "Rackbeat under *Items → Adjustments → Import*. Imported adjustments are drafts until "
        "you book them (*Record all*).",
        "fi": "Alkusaldoja ei lähetetä rajapinnan kautta: tuo normalisoitu tiedosto Rackbeatissa "
        "kohdassa *Tuotteet → Varastosäädöt → Tuo*. Tuodut säädöt ovat luonnoksia, kunnes "
        "kirjaat ne (*Kirjaa kaikki*).",
    },
    "onboarding.audit.imports.started": {
        "en": "started importing {subject} from {new}",
        "fi": "aloitti rekisterin {subject} tuonnin tiedostosta {new}",
    },
    "onboarding.audit.imports.done": {
        "en": "imported {subject} from {new}",
        "fi": "toi rekisterin {subject} tiedostosta {new}",
    },
    "onboarding.audit.imports.cancelled": {
        "en": "cancelled the import of {subject} from {new}",
        "fi": "perui rekisterin {subject} tuonnin tiedostosta {new}",
    },
    "onboarding.audit.imports.stopped": {
        "en": "import of {subject} from {new} stopped",
        "fi": "rekisterin {subject} tuonti tiedostosta {new} pysähtyi",
    },
}
