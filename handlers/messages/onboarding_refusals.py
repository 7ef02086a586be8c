"""The onboarding's refusals in words: why a step action, a setting, a permission or an
argument is refused, and what to do instead.

``core`` raises each refusal as a code with data (step ids, states, user ids, datetimes);
``handlers.blocks.onboarding_words`` turns the data into the words these templates take.
A refused step action is a headline (``onb.refused.<action>``) followed by one reason per
rule the machine applied (``onb.rule.<code>``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Headline of a refused step action: what was attempted, on which step, in which state.
    "onb.refused.done": {
        "en": "*{step}* can't be marked done (now {state}):",
        "fi": "Vaihetta *{step}* ei voi merkitä tehdyksi (tila: {state}):",
    },
    "onb.refused.skip": {
        "en": "*{step}* can't be skipped (now {state}):",
        "fi": "Vaihetta *{step}* ei voi ohittaa (tila: {state}):",
    },
    "onb.refused.reopen": {
        "en": "*{step}* can't be reopened (now {state}):",
        "fi": "Vaihetta *{step}* ei voi avata uudelleen (tila: {state}):",
    },
    "onb.refused.begin": {
        "en": "*{step}* can't be started (now {state}):",
        "fi": "Vaihetta *{step}* ei voi aloittaa (tila: {state}):",
    },
    # Refusals from the state of the step itself.
    "onb.rule.already_done": {
        "en": "it was already marked done by {by}. Nothing to change.",
        "fi": "sen merkitsi tehdyksi jo {by}. Muutettavaa ei ole.",
    },
    "onb.rule.already_skipped": {
        "en": "it was already skipped by {by}. Nothing to change.",
        "fi": "sen ohitti jo {by}. Muutettavaa ei ole.",
    },
    "onb.rule.settled_reopen_first": {
        "en": "it is already {state} ({by}). Reopen it first if that was wrong: "
        "`/rackbeat reopen {id}`.",
        "fi": "se on jo {state} ({by}). Avaa se ensin uudelleen, jos se meni väärin: "
        "`/rackbeat reopen {id}`.",
    },
    "onb.rule.nothing_to_reopen": {
        "en": "only a done or skipped step can be reopened. Mark it done with "
        "`/rackbeat done {id}` when it is finished.",
        "fi": "vain tehdyn tai ohitetun vaiheen voi avata uudelleen. Merkitse se tehdyksi "
        "komennolla `/rackbeat done {id}`, kun se on valmis.",
    },
    "onb.rule.already_started": {
        "en": "it has already been started or finished.",
        "fi": "se on jo aloitettu tai tehty.",
    },
    # Guards.
    "onb.rule.not_optional": {
        "en": "this step is required, so it can't be skipped. Mark it done when it is "
        "finished: `/rackbeat done {id}`.",
        "fi": "vaihe on pakollinen, joten sitä ei voi ohittaa. Merkitse se tehdyksi, kun se on "
        "valmis: `/rackbeat done {id}`.",
    },
    "onb.rule.settings_not_done": {
        "en": "*{dep}* is {dep_state}: check the company settings and mark them done first "
        "(`/rackbeat done settings`).",
        "fi": "*{dep}* on tilassa {dep_state}: tarkista yrityksen asetukset ja merkitse ne "
        "ensin tehdyiksi (`/rackbeat done settings`).",
    },
    "onb.rule.valuation_missing": {
        "en": "the inventory valuation method is not recorded: "
        "`/rackbeat set valuation fifo` or `/rackbeat set valuation average`.",
        "fi": "varaston arvostusmenetelmää ei ole kirjattu: "
        "`/rackbeat set valuation fifo` tai `/rackbeat set valuation average`.",
    },
    "onb.rule.products_open": {
        "en": "*{dep}* is {dep_state}: import the products first, or skip the step if products "
        "are created as needed (`/rackbeat skip products`).",
        "fi": "*{dep}* on tilassa {dep_state}: tuo tuotteet ensin tai ohita vaihe, jos "
        "tuotteet perustetaan tarpeen mukaan (`/rackbeat skip products`).",
    },
    "onb.rule.batch_serial_open": {
        "en": "*{dep}* is {dep_state}: decide it first — mark it done once tracking is "
        "switched on for the products that need it, or `/rackbeat skip batch_serial` if "
        "nothing needs it. Tracking can't be switched on once stock has moved.",
        "fi": "*{dep}* on tilassa {dep_state}: päätä se ensin. Merkitse vaihe tehdyksi, kun "
        "seuranta on otettu käyttöön sitä tarvitseville tuotteille, tai ohita se komennolla "
        "`/rackbeat skip batch_serial`, jos mikään tuote ei tarvitse sitä. Seurantaa ei voi "
        "ottaa käyttöön tuotteelle, jolla on jo varastotapahtumia.",
    },
    "onb.rule.batch_serial_locked": {
        "en": "*{dep}* have been marked done, so stock has moved (reopening them does not "
        "undo that), and Rackbeat cannot switch batch tracking or "
        "serial numbers on for a product that already has inventory transactions, so this "
        "decision is final. What Rackbeat still allows: switching them on for products that "
        "have no inventory transactions yet, such as new product cards.",
        "fi": "*{dep}* on jo merkitty tehdyksi, joten varasto on liikkunut (vaiheen avaaminen "
        "uudelleen ei muuta sitä), eikä Rackbeatissa voi ottaa eräseurantaa tai sarjanumeroita "
        "käyttöön tuotteelle, jolla on jo varastotapahtumia, joten päätös on lopullinen. "
        "Rackbeat sallii yhä sen, että seuranta otetaan käyttöön tuotteille, joilla ei vielä "
        "ole varastotapahtumia, esimerkiksi uusille tuotekorteille.",
    },
    "onb.rule.orders_open": {
        "en": "Netvisor still has {count} open sales orders: {numbers}. Invoice them in "
        "Netvisor first, or give the reason they stay open: "
        "`/rackbeat done previous_orders REASON`.",
        "fi": "Netvisorissa on vielä {count} avointa myyntitilausta: {numbers}. Laskuta ne "
        "ensin Netvisorissa tai kerro, miksi ne jäävät avoimiksi: "
        "`/rackbeat done previous_orders SYY`.",
    },
    "onb.rule.numbering_unknown": {
        "en": "the numbering status of the order and invoice series is not known (never "
        "checked, checked too long ago, or a number or setting changed since the last check). "
        "Run `/rackbeat numbering check` (connect Rackbeat and Netvisor first, or enter the "
        "numbers with `/rackbeat numbering set`).",
        "fi": "tilaus- ja laskusarjan numeroinnin tilaa ei tiedetä (sitä ei ole tarkistettu, "
        "tarkistuksesta on liian kauan tai jokin numero tai asetus on muuttunut tarkistuksen "
        "jälkeen). Tarkista se komennolla "
        "`/rackbeat numbering check` (yhdistä ensin Rackbeat ja Netvisor tai syötä numerot "
        "komennolla `/rackbeat numbering set`).",
    },
    "onb.rule.numbering_not_ok": {
        "en": "the numbering is not OK yet ({detail}). `/rackbeat numbering` shows what to fix; "
        "the step can be done when both series are OK.",
        "fi": "numerointi ei ole vielä kunnossa ({detail}). `/rackbeat numbering` näyttää, mitä "
        "korjata; vaiheen voi merkitä tehdyksi, kun molemmat sarjat ovat kunnossa.",
    },
    # Valuation.
    "onb.valuation.locked": {
        "en": "The valuation method can't be changed any more: *{dep}* have been marked done, "
        "and Rackbeat fixes the method at the first inventory transaction. It stays {current}.",
        "fi": "Arvostusmenetelmää ei voi enää muuttaa: *{dep}* on jo merkitty tehdyksi, ja "
        "Rackbeat lukitsee menetelmän ensimmäisessä varastotapahtumassa. Se pysyy: {current}.",
    },
    # Onboarding lifecycle.
    "onb.not_found": {
        "en": "There is no onboarding in this channel yet. Start one with "
        "`/rackbeat start [company name]`.",
        "fi": "Tällä kanavalla ei ole vielä käyttöönottoa. Aloita se komennolla "
        "`/rackbeat start [yrityksen nimi]`.",
    },
    "onb.start.exists": {
        "en": "This channel already has an onboarding: *{company}*, {state}, {done}/{total} "
        "steps settled, started by {owner} on {when}. `/rackbeat status` shows its checklist.",
        "fi": "Tällä kanavalla on jo käyttöönotto: *{company}*, {state}, {done}/{total} "
        "vaihetta hoidettu, aloittanut {owner} {when}. `/rackbeat status` näyttää "
        "tarkistuslistan.",
    },
    # Permissions.
    "onb.permission.change": {
        "en": "Only this onboarding's members can change it. Ask the owner {owner} or a "
        "workspace admin to add you ({you}) with `/rackbeat members add`. Meanwhile you can "
        "read (`status`, `next`, `history`, `help`) and drop CSV files for checking.",
        "fi": "Vain käyttöönoton jäsenet voivat muuttaa sitä. Pyydä omistajaa {owner} tai "
        "työtilan ylläpitäjää lisäämään sinut ({you}) komennolla `/rackbeat members add`. Sillä "
        "välin voit lukea (`status`, `next`, `history`, `help`) ja jakaa CSV-tiedostoja "
        "tarkistettaviksi.",
    },
    "onb.permission.members": {
        "en": "Only the owner {owner} or a workspace admin can add or remove members.",
        "fi": "Vain omistaja {owner} tai työtilan ylläpitäjä voi lisätä tai poistaa jäseniä.",
    },
    "onb.members.owner_stays": {
        "en": "{user} owns this onboarding and stays a member.",
        "fi": "{user} omistaa tämän käyttöönoton ja pysyy jäsenenä.",
    },
    "onb.members.not_member": {
        "en": "{user} is not a member. Members: {members}.",
        "fi": "{user} ei ole jäsen. Jäsenet: {members}.",
    },
    # Arguments that could not be understood: each lists what is valid.
    "onb.invalid.step": {
        "en": "`{value}` is not a step I know.{hint} Steps: {valid}.",
        "fi": "En tunne vaihetta `{value}`.{hint} Vaiheet: {valid}.",
    },
    "onb.invalid.step_missing": {
        "en": "Which step? Steps: {valid}.",
        "fi": "Mikä vaihe? Vaiheet: {valid}.",
    },
    "onb.invalid.did_you_mean": {
        "en": " Did you mean `{suggestion}`?",
        "fi": " Tarkoititko `{suggestion}`?",
    },
    "onb.invalid.valuation": {
        "en": "`{value}` is not a valuation method. Use `/rackbeat set valuation fifo` or "
        "`/rackbeat set valuation average`.",
        "fi": "`{value}` ei ole arvostusmenetelmä. Käytä `/rackbeat set valuation fifo` tai "
        "`/rackbeat set valuation average` (keskihinta).",
    },
    "onb.invalid.set": {
        "en": "I can set `valuation`: `/rackbeat set valuation fifo|average`.",
        "fi": "Voin asettaa arvon `valuation`: `/rackbeat set valuation fifo|average`.",
    },
    "onb.missing.valuation": {
        "en": "Which valuation method? Use `/rackbeat set valuation fifo` or "
        "`/rackbeat set valuation average`.",
        "fi": "Mikä arvostusmenetelmä? Käytä `/rackbeat set valuation fifo` tai "
        "`/rackbeat set valuation average` (keskihinta).",
    },
    "onb.missing.language": {
        "en": "Which language? Use `/rackbeat language en` or `/rackbeat language fi`.",
        "fi": "Mikä kieli? Käytä `/rackbeat language fi` tai `/rackbeat language en`.",
    },
    "onb.invalid.language": {
        "en": "`{value}` is not a language I speak. Use `/rackbeat language en` or "
        "`/rackbeat language fi`.",
        "fi": "En puhu kieltä `{value}`. Käytä `/rackbeat language fi` tai "
        "`/rackbeat language en`.",
    },
    "onb.invalid.members": {
        "en": "Use `/rackbeat members` to list, `/rackbeat members add @user` or "
        "`/rackbeat members remove @user`.",
        "fi": "Käytä `/rackbeat members` (luettelo), `/rackbeat members add @käyttäjä` tai "
        "`/rackbeat members remove @käyttäjä`.",
    },
    "onb.invalid.user": {
        "en": "`{value}` is not a user mention. Type `@` and pick the person, so Slack turns "
        "the name into a link.",
        "fi": "`{value}` ei ole käyttäjämaininta. Kirjoita `@` ja valitse henkilö, jotta "
        "Slack muuttaa nimen linkiksi.",
    },
    "onb.invalid.page": {
        "en": "`{value}` is not a page number. Use `/rackbeat history` or `/rackbeat history 2`.",
        "fi": "`{value}` ei ole sivunumero. Käytä `/rackbeat history` tai `/rackbeat history 2`.",
    },
    "onb.history.page_out_of_range": {
        "en": "There is no page {page}: the last page is {pages}.",
        "fi": "Sivua {page} ei ole: viimeinen sivu on {pages}.",
    },
}
