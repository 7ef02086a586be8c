"""The onboarding area's strings: the domain's words (states, valuation methods, numbering
levels), the checklist, command answers, history, App Home.

The steps' own words are in ``steps``, the refusals' in ``onboarding_refusals``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # States and actions, as words.
    "onb.state.todo": {"en": "to do", "fi": "tekemättä"},
    "onb.state.in_progress": {"en": "in progress", "fi": "kesken"},
    "onb.state.done": {"en": "done", "fi": "tehty"},
    "onb.state.skipped": {"en": "skipped", "fi": "ohitettu"},
    "onb.onboarding.active": {"en": "active", "fi": "käynnissä"},
    "onb.onboarding.live": {"en": "live", "fi": "tuotannossa"},
    "onb.language.en": {"en": "English", "fi": "englanti"},
    "onb.language.fi": {"en": "Finnish", "fi": "suomi"},
    "onb.valuation.fifo": {"en": "FIFO", "fi": "FIFO"},
    "onb.valuation.average": {"en": "average cost", "fi": "keskihinta"},
    "onb.by": {"en": "{who}, {when}", "fi": "{who}, {when}"},
    # Numbering levels, as the step's guard names them.
    "onb.series.order": {"en": "orders", "fi": "tilaukset"},
    "onb.series.invoice": {"en": "invoices", "fi": "laskut"},
    "onb.level.ok": {"en": "OK", "fi": "kunnossa"},
    "onb.level.warning": {"en": "warning", "fi": "varoitus"},
    "onb.level.critical": {"en": "critical", "fi": "kriittinen"},
    "onb.level.collision": {"en": "overlap", "fi": "päällekkäisyys"},
    "onb.level.unknown": {"en": "unknown", "fi": "ei tiedossa"},
    "onb.valuation.none": {"en": "not recorded", "fi": "ei kirjattu"},
    # --- the checklist message -----------------------------------------------------------
    "onboarding.checklist.title": {
        "en": "Rackbeat onboarding — {company}",
        "fi": "Rackbeat-käyttöönotto — {company}",
    },
    "onboarding.checklist.fallback": {
        "en": "Rackbeat onboarding checklist of {company}: {done}/{total} steps settled.",
        "fi": "Rackbeat-käyttöönoton tarkistuslista, {company}: {done}/{total} vaihetta hoidettu.",
    },
    "onboarding.checklist.summary": {
        "en": "*Progress* {done}/{total} · *State* {state} · *Valuation* {valuation} · "
        "*Owner* {owner}",
        "fi": "*Edistyminen* {done}/{total} · *Tila* {state} · *Arvostus* {valuation} · "
        "*Omistaja* {owner}",
    },
    "onboarding.checklist.next": {
        "en": ":point_right: *Next:* {position}. {title}",
        "fi": ":point_right: *Seuraavaksi:* {position}. {title}",
    },
    "onboarding.checklist.attention": {
        "en": ":warning: *Needs attention:* {position}. {title} — {detail}. `/rackbeat numbering` "
        "shows what to fix.",
        "fi": ":warning: *Vaatii huomiota:* {position}. {title} — {detail}. `/rackbeat numbering` "
        "näyttää, mitä korjata.",
    },
    "onboarding.checklist.all_settled": {
        "en": ":tada: Every step is settled.",
        "fi": ":tada: Kaikki vaiheet on hoidettu.",
    },
    "onboarding.checklist.changed": {
        "en": "{state} by {who}, {when}",
        "fi": "{state}: {who}, {when}",
    },
    "onboarding.checklist.optional": {"en": "optional", "fi": "valinnainen"},
    "onboarding.checklist.waiting": {
        "en": "Waiting for: {items}",
        "fi": "Odottaa: {items}",
    },
    "onboarding.checklist.footer": {
        "en": "Buttons or `/rackbeat done|skip|reopen STEP`; members change, everyone reads. "
        "`/rackbeat next` · `/rackbeat history` · `/rackbeat help`",
        "fi": "Painikkeet tai `/rackbeat done|skip|reopen VAIHE`; jäsenet muuttavat, kaikki "
        "lukevat. `/rackbeat next` · `/rackbeat history` · `/rackbeat help`",
    },
    "onboarding.blocker.settings_not_done": {
        "en": "settings done",
        "fi": "asetukset tehty",
    },
    "onboarding.blocker.valuation_missing": {
        "en": "valuation method recorded",
        "fi": "arvostusmenetelmä kirjattu",
    },
    "onboarding.blocker.products_open": {
        "en": "products done or skipped",
        "fi": "tuotteet tehty tai ohitettu",
    },
    "onboarding.blocker.batch_serial_open": {
        "en": "batch/serial decision",
        "fi": "päätös eräseurannasta ja sarjanumeroista",
    },
    "onboarding.blocker.numbering_unknown": {
        "en": "a numbering check (`/rackbeat numbering check`)",
        "fi": "numeroinnin tarkistus (`/rackbeat numbering check`)",
    },
    "onboarding.blocker.numbering_not_ok": {
        "en": "both number series OK",
        "fi": "molemmat numerosarjat kunnossa",
    },
    "onboarding.button.done": {"en": "Done", "fi": "Tehty"},
    "onboarding.button.skip": {"en": "Skip", "fi": "Ohita"},
    "onboarding.button.guide": {"en": "Guide", "fi": "Ohje"},
    # --- the guide of one step -----------------------------------------------------------
    "onboarding.guide.heading": {
        "en": "*{position}. {title}*",
        "fi": "*{position}. {title}*",
    },
    "onboarding.guide.optional": {
        "en": "_Optional: skip it if {skip_means} (`/rackbeat skip {id}`)._",
        "fi": "_Valinnainen: ohita, jos {skip_means} (`/rackbeat skip {id}`)._",
    },
    "onboarding.guide.finish": {
        "en": "When it is finished: `/rackbeat done {id}`.",
        "fi": "Kun vaihe on tehty: `/rackbeat done {id}`.",
    },
    # --- answers to commands -------------------------------------------------------------
    "onboarding.started": {
        "en": "You started the onboarding of *{company}* and own it. Add the colleagues who "
        "may tick steps with `/rackbeat members add @name`; `/rackbeat next` says what to do "
        "first.",
        "fi": "Aloitit yrityksen *{company}* käyttöönoton ja omistat sen. Lisää kollegat, jotka "
        "saavat merkitä vaiheita, komennolla `/rackbeat members add @nimi`; `/rackbeat next` "
        "kertoo, mistä aloittaa.",
    },
    "onboarding.changed.done": {
        "en": ":white_check_mark: *{step}* marked done.",
        "fi": ":white_check_mark: *{step}* merkitty tehdyksi.",
    },
    "onboarding.changed.skip": {
        "en": ":fast_forward: *{step}* skipped.",
        "fi": ":fast_forward: *{step}* ohitettu.",
    },
    "onboarding.changed.reopen": {
        "en": ":arrows_counterclockwise: *{step}* reopened: it is in progress again.",
        "fi": ":arrows_counterclockwise: *{step}* avattu uudelleen: se on taas kesken.",
    },
    "onboarding.changed.begin": {
        "en": ":arrow_forward: *{step}* is in progress.",
        "fi": ":arrow_forward: *{step}* on kesken.",
    },
    "onboarding.changed.reactivated": {
        "en": "The onboarding is active again until every step is settled.",
        "fi": "Käyttöönotto on taas käynnissä, kunnes kaikki vaiheet on hoidettu.",
    },
    "onboarding.valuation.recorded": {
        "en": "Valuation method recorded: *{method}*. The inventory CSV checks use it.",
        "fi": "Arvostusmenetelmä kirjattu: *{method}*. Alkusaldotiedostojen tarkistus "
        "käyttää sitä.",
    },
    "onboarding.valuation.unchanged": {
        "en": "The valuation method is already *{method}*.",
        "fi": "Arvostusmenetelmä on jo *{method}*.",
    },
    "onboarding.language.changed": {
        "en": "This onboarding now speaks English.",
        "fi": "Tämä käyttöönotto puhuu nyt suomea.",
    },
    "onboarding.language.unchanged": {
        "en": "This onboarding already speaks English.",
        "fi": "Tämä käyttöönotto puhuu jo suomea.",
    },
    "onboarding.language.remembered": {
        "en": "I'll answer in English in this channel, and `/rackbeat start` will use it too.",
        "fi": "Vastaan tällä kanavalla suomeksi, ja `/rackbeat start` käyttää samaa kieltä.",
    },
    "onboarding.language.already_remembered": {
        "en": "This channel already gets its answers in English.",
        "fi": "Tällä kanavalla vastataan jo suomeksi.",
    },
    "onboarding.status.refreshed": {
        "en": ":clipboard: <{link}|The checklist> is up to date.",
        "fi": ":clipboard: <{link}|Tarkistuslista> on ajan tasalla.",
    },
    "onboarding.status.refreshed_here": {
        "en": ":clipboard: The checklist in this channel is up to date.",
        "fi": ":clipboard: Tämän kanavan tarkistuslista on ajan tasalla.",
    },
    "onboarding.status.reposted": {
        "en": "The checklist message was gone, so I posted a new one below.",
        "fi": "Tarkistuslistan viesti oli poistettu, joten lähetin uuden alle.",
    },
    "onboarding.next.attention": {
        "en": ":warning: Every step is settled, but *{position}. {title}* needs attention again: "
        "the latest numbering check says {detail}. `/rackbeat numbering` shows what to fix. "
        "The step stays done in the history.",
        "fi": ":warning: Kaikki vaiheet ovat valmiina, mutta *{position}. {title}* vaatii taas "
        "huomiota: viimeisin numeroinnin tarkistus kertoo {detail}. `/rackbeat numbering` "
        "näyttää, mitä korjata. Vaihe pysyy historiassa tehtynä.",
    },
    "onboarding.next.none": {
        "en": ":tada: Every step is settled: nothing is left to do.",
        "fi": ":tada: Kaikki vaiheet on hoidettu: tehtävää ei ole jäljellä.",
    },
    "onboarding.next.heading": {
        "en": ":point_right: *Next: {position}. {title}* ({state})",
        "fi": ":point_right: *Seuraavaksi: {position}. {title}* ({state})",
    },
    "onboarding.next.before_done": {
        "en": "Before it can be marked done:",
        "fi": "Ennen kuin sen voi merkitä tehdyksi:",
    },
    "onboarding.live": {
        "en": ":tada: *{company} is live on Rackbeat!* Every step of the onboarding is "
        "settled. `/rackbeat history` keeps the record of who did what.",
        "fi": ":tada: *{company} on otettu käyttöön Rackbeatissa!* Kaikki käyttöönoton "
        "vaiheet on hoidettu. `/rackbeat history` kertoo, kuka teki mitä.",
    },
    # --- members -------------------------------------------------------------------------
    "onboarding.members.list": {
        "en": "*Who may change this onboarding:* {members}\nOwner: {owner}. Workspace admins "
        "may always act; everyone else can read and drop files for checking.",
        "fi": "*Kuka saa muuttaa tätä käyttöönottoa:* {members}\nOmistaja: {owner}. Työtilan "
        "ylläpitäjät saavat aina toimia; muut voivat lukea ja jakaa tiedostoja "
        "tarkistettaviksi.",
    },
    "onboarding.members.how": {
        "en": "The owner or a workspace admin adds and removes members: "
        "`/rackbeat members add @name` · `/rackbeat members remove @name`.",
        "fi": "Omistaja tai työtilan ylläpitäjä lisää ja poistaa jäseniä: "
        "`/rackbeat members add @nimi` · `/rackbeat members remove @nimi`.",
    },
    "onboarding.members.added": {"en": "Added: {users}.", "fi": "Lisätty: {users}."},
    "onboarding.members.already": {
        "en": "Already allowed: {users}.",
        "fi": "Oikeus on jo: {users}.",
    },
    "onboarding.members.removed": {"en": "Removed: {users}.", "fi": "Poistettu: {users}."},
    # --- history -------------------------------------------------------------------------
    "onboarding.history.heading": {
        "en": "*History of this onboarding*, newest first:",
        "fi": "*Käyttöönoton historia*, uusin ensin:",
    },
    "onboarding.history.empty": {
        "en": "Nothing has happened yet.",
        "fi": "Mitään ei ole vielä tapahtunut.",
    },
    "onboarding.history.more": {
        "en": "Entries {first}–{last} of {total}. Older ones: `/rackbeat history {next}`.",
        "fi": "Tapahtumat {first}–{last}/{total}. Vanhemmat: `/rackbeat history {next}`.",
    },
    "onboarding.history.end": {
        "en": "Entries {first}–{last} of {total}.",
        "fi": "Tapahtumat {first}–{last}/{total}.",
    },
    "onboarding.history.line": {
        "en": "{mark} {when} · {who} · {what}",
        "fi": "{mark} {when} · {who} · {what}",
    },
    "onboarding.history.refused": {"en": "refused", "fi": "hylätty"},
    "onboarding.history.denied": {"en": "no permission", "fi": "ei oikeutta"},
    "onboarding.audit.onboarding.start": {
        "en": "started the onboarding of *{new}*",
        "fi": "aloitti käyttöönoton: *{new}*",
    },
    "onboarding.audit.onboarding.state": {
        "en": "onboarding {old} → {new}",
        "fi": "käyttöönotto {old} → {new}",
    },
    "onboarding.audit.step": {
        "en": "*{step}* {old} → {new}",
        "fi": "*{step}* {old} → {new}",
    },
    "onboarding.audit.valuation.set": {
        "en": "valuation method {old} → {new}",
        "fi": "arvostusmenetelmä {old} → {new}",
    },
    "onboarding.audit.language.set": {
        "en": "language {old} → {new}",
        "fi": "kieli {old} → {new}",
    },
    "onboarding.audit.member.add": {
        "en": "added {subject} as a member",
        "fi": "lisäsi jäseneksi {subject}",
    },
    "onboarding.audit.member.remove": {
        "en": "removed {subject} from the members",
        "fi": "poisti jäsenistä {subject}",
    },
    # Numbering changes, written to the same audit trail by the numbering area.
    "onboarding.audit.numbering.value": {
        "en": "{subject}: {old} → {new}",
        "fi": "{subject}: {old} → {new}",
    },
    "onboarding.audit.numbering.strategy": {
        "en": "numbering strategy ({subject}) {old} → {new}",
        "fi": "numerointitapa ({subject}) {old} → {new}",
    },
    "onboarding.audit.numbering.series_field": {
        "en": "{series}, {field}",
        "fi": "{series}, {field}",
    },
    "onboarding.audit.numbering.limits": {
        "en": "warning {wd} d / {wn}, critical {cd} d / {cn}",
        "fi": "varoitus {wd} pv / {wn}, kriittinen {cd} pv / {cn}",
    },
    "onboarding.audit.numbering.thresholds": {
        "en": "numbering alert limits {old} → {new}",
        "fi": "numeroinnin hälytysrajat {old} → {new}",
    },
    "onboarding.audit.numbering.setup": {
        "en": "saved the numbering setup",
        "fi": "tallensi numeroinnin asetukset",
    },
    "onboarding.audit.numbering.change": {
        "en": "changed the numbering settings",
        "fi": "muutti numeroinnin asetuksia",
    },
    "onboarding.audit.numbering.connect": {
        "en": "connected {subject} ({new})",
        "fi": "yhdisti palvelun {subject} ({new})",
    },
    "onboarding.audit.numbering.disconnect": {
        "en": "disconnected {subject}",
        "fi": "katkaisi yhteyden palveluun {subject}",
    },
    "onboarding.audit.numbering.acknowledge": {
        "en": "acknowledged the numbering alert ({subject}: {new})",
        "fi": "kuittasi numerointihälytyksen ({subject}: {new})",
    },
    "onboarding.audit.numbering.snooze": {
        "en": "snoozed the numbering alerts ({subject}) until {new}",
        "fi": "hiljensi numerointihälytykset ({subject}) {new} asti",
    },
    "onboarding.audit.other": {
        "en": "`{action}` {subject} {old} → {new}",
        "fi": "`{action}` {subject} {old} → {new}",
    },
    # --- App Home ------------------------------------------------------------------------
    "onboarding.home.title": {
        "en": "Your Rackbeat onboardings",
        "fi": "Rackbeat-käyttöönottosi",
    },
    "onboarding.home.intro": {
        "en": "Onboardings you own or are a member of, in every channel of this workspace.",
        "fi": "Käyttöönotot, jotka omistat tai joiden jäsen olet, tämän työtilan kaikilla "
        "kanavilla.",
    },
    "onboarding.home.empty": {
        "en": "You are not part of any onboarding yet. Type `/rackbeat start Company name` in "
        "the company's channel to begin, or ask an owner to add you.",
        "fi": "Et ole vielä mukana yhdessäkään käyttöönotossa. Aloita kirjoittamalla yrityksen "
        "kanavalla `/rackbeat start Yrityksen nimi` tai pyydä omistajaa lisäämään sinut.",
    },
    "onboarding.home.item": {
        "en": "*{company}* in <#{channel}> — {done}/{total} steps settled · {state} · you are "
        "{role}\n{next}",
        "fi": "*{company}* kanavalla <#{channel}> — {done}/{total} vaihetta hoidettu · {state} · "
        "roolisi: {role}\n{next}",
    },
    "onboarding.home.next": {
        "en": "Next: {position}. {title}",
        "fi": "Seuraavaksi: {position}. {title}",
    },
    "onboarding.members.unknown": {
        "en": "Slack knows nobody with the id {users} in this workspace, so nobody was added. "
        "Mention people instead: `/rackbeat members add @name`.",
        "fi": "Slack ei tunne tässä työtilassa ketään tunnuksella {users}, joten ketään ei "
        "lisätty. Mainitse henkilöt: `/rackbeat members add @nimi`.",
    },
    "onboarding.home.attention": {
        "en": ":warning: Needs attention: {position}. {title} ({detail})",
        "fi": ":warning: Vaatii huomiota: {position}. {title} ({detail})",
    },
    "onboarding.home.done": {
        "en": "Nothing left to do.",
        "fi": "Tehtävää ei ole jäljellä.",
    },
    "onboarding.role.owner": {"en": "the owner", "fi": "omistaja"},
    "onboarding.role.member": {"en": "a member", "fi": "jäsen"},
    "onboarding.role.admin": {"en": "a workspace admin", "fi": "työtilan ylläpitäjä"},
    "onboarding.role.reader": {"en": "a reader", "fi": "lukija"},
}
