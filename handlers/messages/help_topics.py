"""`/rackbeat help` and its topics: the guide's "other useful instructions", in our words."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "help.intro": {
        "en": "*Rackbeat onboarding assistant* — I walk this channel's company through starting "
        "Rackbeat beside Netvisor, check the register CSVs you drop here before you import "
        "them, and watch that order and invoice numbers of the two systems never collide.",
        "fi": "*Rackbeatin käyttöönottoavustaja* — opastan tämän kanavan yrityksen Rackbeatin "
        "käyttöönotossa Netvisorin rinnalla, tarkistan tähän kanavaan pudotetut rekisteri-CSV:t "
        "ennen tuontia ja valvon, etteivät järjestelmien tilaus- ja laskunumerot mene päällekkäin.",
    },
    "help.commands": {
        "en": "*Commands*\n"
        "• `/rackbeat start [company]` — start the onboarding in this channel\n"
        "• `/rackbeat status` — the checklist · `/rackbeat next` — what to do now\n"
        "• `/rackbeat done STEP [note]` · `skip STEP [reason]` · `reopen STEP [reason]`\n"
        "• `/rackbeat set valuation fifo|average` — the valuation method chosen in Rackbeat\n"
        "• `/rackbeat numbering` · `numbering check` · `numbering set SERIES FIELD NUMBER` · "
        "`numbering strategy rackbeat-only|mixed`\n"
        "• `/rackbeat connect rackbeat|netvisor` · `disconnect rackbeat|netvisor`\n"
        "• `/rackbeat account` · `account refresh` · `account export` — what I see in the "
        "connected Rackbeat account\n"
        "• `/rackbeat members` · `members add|remove @user`\n"
        "• `/rackbeat history` — who changed what · `/rackbeat language en|fi`\n"
        "• Drop a customers, products, suppliers or inventory CSV here and I check it in its "
        "thread.",
        "fi": "*Komennot*\n"
        "• `/rackbeat start [yritys]` — aloita käyttöönotto tällä kanavalla\n"
        "• `/rackbeat status` — tarkistuslista · `/rackbeat next` — mitä tehdä seuraavaksi\n"
        "• `/rackbeat done VAIHE [huomio]` · `skip VAIHE [syy]` · `reopen VAIHE [syy]`\n"
        "• `/rackbeat set valuation fifo|average` — Rackbeatissa valittu arvostusmenetelmä\n"
        "• `/rackbeat numbering` · `numbering check` · `numbering set SARJA KENTTÄ NUMERO` · "
        "`numbering strategy rackbeat-only|mixed`\n"
        "• `/rackbeat connect rackbeat|netvisor` · `disconnect rackbeat|netvisor`\n"
        "• `/rackbeat account` · `account refresh` · `account export` — mitä näen "
        "yhdistetyllä Rackbeat-tilillä\n"
        "• `/rackbeat members` · `members add|remove @käyttäjä`\n"
        "• `/rackbeat history` — kuka muutti mitä · `/rackbeat language en|fi`\n"
        "• Pudota asiakas-, tuote-, toimittaja- tai varasto-CSV tähän, niin tarkistan sen "
        "ketjussa.",
    },
    "help.topics": {
        "en": "More: `/rackbeat help steps|csv|numbering|access|sync|orders`",
        "fi": "Lisää: `/rackbeat help steps|csv|numbering|access|sync|orders`",
    },
    "help.unknown_topic": {
        "en": "There is no help topic `{topic}`. Topics: {topics}.",
        "fi": "Ohjeaihetta `{topic}` ei ole. Aiheet: {topics}.",
    },
    # `help steps` lists the checklist itself (handlers/help.py), numbered as the checklist
    # numbers them: the numbers are accepted as step names (`done 4`).
    "help.steps.title": {"en": "*The steps*", "fi": "*Vaiheet*"},
    "help.steps.line": {
        "en": "{position}. {title} (`{id}`){optional}",
        "fi": "{position}. {title} (`{id}`){optional}",
    },
    "help.steps.optional": {"en": " — optional", "fi": " — valinnainen"},
    "help.steps.footer": {
        "en": "Type a step by its number, id or name (`/rackbeat done 4`, `done products`). "
        "`/rackbeat next` tells you which one is yours now.",
        "fi": "Vaiheen voi kirjoittaa numerona, tunnisteena tai nimenä (`/rackbeat done 4`, "
        "`done tuotteet`). `/rackbeat next` kertoo, mikä vaihe on nyt vuorossa.",
    },
    "help.topic.csv": {
        "en": "*Register CSVs*\nDrop a customers, products, suppliers or inventory (initial "
        "balances) CSV in this channel. I answer in its thread: what is wrong by row and "
        "column, a full error report, and an import-ready copy when it is clean. Finnish Excel "
        "files are fine (`;`, decimal commas, ä/ö/å). References such as group, location, "
        "payment terms and supplier are numbers, not names. Balances are not imported with "
        "the products: they come later through inventory.",
        "fi": "*Rekisteri-CSV:t*\nPudota asiakas-, tuote-, toimittaja- tai varastotiedosto "
        "(alkusaldot) tälle kanavalle. Vastaan tiedoston ketjussa: virheet riveittäin ja "
        "sarakkeittain, koko virheraportti ja tuontivalmis kopio, kun tiedosto on kunnossa. "
        "Suomalaisen Excelin tiedostot käyvät (`;`, desimaalipilkku, ä/ö/å). Viittaukset kuten "
        "ryhmä, varastopaikka, maksuehto ja toimittaja annetaan numeroina, ei niminä. Saldot "
        "eivät tule tuotteiden mukana, vaan myöhemmin inventoinnilla.",
    },
    "help.topic.numbering": {
        "en": "*Order and invoice numbers*\nA Rackbeat invoice keeps its number when it moves "
        "to Netvisor, and the move fails if Netvisor already has that number. Two ways to stay "
        "safe:\n• *All documents in Rackbeat* (`rackbeat-only`): set Rackbeat's next numbers "
        "(Company settings → General → Numbers) above the largest ones used in Netvisor.\n"
        "• *Some still in Netvisor* (`mixed`): move Netvisor's own numbers far above "
        "Rackbeat's once — edit the number of the next Netvisor invoice, and Netvisor "
        "continues from there, because it always proposes the largest number + 1.\n"
        "`/rackbeat numbering` shows where both series stand and warns before they meet.",
        "fi": "*Tilaus- ja laskunumerot*\nRackbeatin lasku säilyttää numeronsa siirtyessään "
        "Netvisoriin, ja siirto epäonnistuu, jos Netvisorissa on jo sama numero. Kaksi "
        "turvallista tapaa:\n• *Kaikki tositteet Rackbeatissa* (`rackbeat-only`): aseta "
        "Rackbeatin seuraavat numerot (Yrityksen asetukset → Yleiset → Numerot) suuremmiksi "
        "kuin Netvisorissa jo käytetyt.\n• *Osa vielä Netvisorissa* (`mixed`): siirrä "
        "Netvisorin omat numerot kerran reilusti Rackbeatin numeroiden yläpuolelle — muuta "
        "seuraavan Netvisor-laskun numero, niin Netvisor jatkaa siitä, koska se ehdottaa aina "
        "suurinta numeroa + 1.\n`/rackbeat numbering` näyttää sarjojen tilanteen ja varoittaa "
        "ennen kuin ne kohtaavat.",
    },
    "help.topic.access": {
        "en": "*Access rights*\nAdd the company's other users in Rackbeat under Settings → "
        "Users and give each the rights their work needs. The user who opened Rackbeat from "
        "Netvisor Store carries the integration traffic, so keep that user active. In this "
        "channel, `/rackbeat members add @user` lets a colleague change the checklist.",
        "fi": "*Käyttöoikeudet*\nLisää yrityksen muut käyttäjät Rackbeatissa kohdassa "
        "Asetukset → Käyttäjät ja anna kullekin työn vaatimat oikeudet. Rackbeatin Netvisor "
        "Storesta avannut käyttäjä kantaa integraation liikenteen, joten pidä hänen "
        "tunnuksensa voimassa. Tällä kanavalla `/rackbeat members add @käyttäjä` antaa "
        "kollegalle oikeuden muuttaa tarkistuslistaa.",
    },
    "help.topic.sync": {
        "en": "*What moves between Rackbeat and Netvisor*\nCustomers, products and suppliers "
        "reach Netvisor with the nightly register sync. A sales order goes to Netvisor when "
        "it is sent, a sales invoice when it is booked — keeping its Rackbeat number. Stock "
        "balances and inventory stay in Rackbeat.",
        "fi": "*Mitä Rackbeatin ja Netvisorin välillä siirtyy*\nAsiakkaat, tuotteet ja "
        "toimittajat siirtyvät Netvisoriin yöllisessä rekisterisynkronoinnissa. Myyntitilaus "
        "siirtyy, kun se lähetetään, ja myyntilasku, kun se kirjataan — Rackbeatin numerollaan. "
        "Varastosaldot ja inventoinnit pysyvät Rackbeatissa.",
    },
    "help.topic.orders": {
        "en": "*Orders already in Netvisor*\nProcess and invoice the sales orders that already "
        "exist in Netvisor there, before you start working in Rackbeat. Then nothing is "
        "half-way in two systems on the day you go live.",
        "fi": "*Netvisorissa jo olevat tilaukset*\nKäsittele ja laskuta Netvisorissa jo olevat "
        "myyntitilaukset siellä ennen kuin aloitat työn Rackbeatissa. Silloin mikään ei ole "
        "kesken kahdessa järjestelmässä käyttöönottopäivänä.",
    },
}

TOPICS: tuple[str, ...] = ("steps", "csv", "numbering", "access", "sync", "orders")
