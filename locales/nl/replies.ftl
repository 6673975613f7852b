# Dutch answers to the intents of intents/catalog.toml.
# Variables: see locales/en/replies.ftl and locales/shop.toml.

reply-greeting = Hoi! Ik ben de assistent van { $shop_name }. Ik help je graag met bestellingen, leveringen, retouren en betalingen. Waarmee kan ik je helpen?
reply-goodbye = Bedankt voor het chatten. Nog een fijne dag!
reply-thanks = Graag gedaan! Kan ik je nog ergens anders mee helpen?
reply-order-status = Je kunt je bestelling volgen onder “Mijn bestellingen” in je account; de track-and-tracelink staat ook in de verzendbevestiging die we je hebben gemaild. Geef me je bestelnummer, dan wijs ik je de weg.
reply-order-status-known = Ik kijk even naar bestelling { $order }. De live track & trace vind je onder “Mijn bestellingen” → { $order }; de trackinglink hebben we je ook gemaild toen het pakket werd verzonden. Staat de zending al meer dan 2 dagen stil, dan kan een collega het navragen bij de vervoerder.
reply-shipping-time = Standaardlevering duurt { $standard_days_min }–{ $standard_days_max } werkdagen. Met expreslevering heb je je bestelling binnen { $express_days ->
        [one] { $express_days } werkdag
       *[other] { $express_days } werkdagen
    } als je vóór 14.00 uur bestelt.
reply-shipping-cost = Standaardverzending kost € { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } en is gratis bij bestellingen boven € { NUMBER($free_shipping_threshold) }. Expreslevering kost € { NUMBER($express_shipping_cost, minimumFractionDigits: 2) }.
reply-return-item = Je kunt elk artikel binnen { $return_days } dagen retourneren. Ga naar “Mijn bestellingen”, kies het artikel en klik op “Retourneren” – je krijgt dan een gratis retourlabel om te printen of te laten zien bij het inleverpunt.
reply-refund-status = Zodra je retour in ons magazijn is aangekomen, betalen we je binnen { $refund_days_min }–{ $refund_days_max } werkdagen terug via de betaalmethode die je hebt gebruikt. Het kan nog een paar dagen duren voordat het bedrag op je rekening zichtbaar is.
reply-cancel-order = Je kunt een bestelling annuleren in “Mijn bestellingen” zolang die nog niet is verzonden. Is hij al onderweg? Weiger dan gewoon het pakket of stuur het gratis terug, dan krijg je je geld terug.
reply-change-address = Je kunt het bezorgadres in “Mijn bestellingen” wijzigen totdat de bestelling wordt verzonden. Is het pakket al onderweg, dan kun je het via de trackingpagina van de vervoerder omleiden.
reply-payment-methods = We accepteren Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay en bankoverschrijving. In sommige landen kun je ook in termijnen betalen met Klarna.
reply-payment-failed = Wat vervelend! Controleer even of je kaartgegevens en factuuradres kloppen, of je kaart online betalingen toestaat en of je de 3D Secure-controle bij je bank hebt afgerond. Lukt het nog steeds niet? Probeer dan een andere betaalmethode – er wordt niets dubbel afgeschreven.
reply-reset-password = Om je wachtwoord te resetten klik je op de inlogpagina op “Wachtwoord vergeten?” en vul je je e-mailadres in. De link die we sturen is 1 uur geldig – kijk ook even in je spammap als je hem niet ziet.
reply-delete-account = Je kunt je account en persoonsgegevens verwijderen via “Accountinstellingen” → “Privacy” → “Mijn account verwijderen”. We bevestigen dit per e-mail en je gegevens worden binnen 30 dagen gewist, behalve wat we wettelijk moeten bewaren (zoals facturen).
reply-opening-hours = Ons supportteam is bereikbaar van maandag tot en met zaterdag, van { $opens } tot { $closes }. Voor al het andere ben ik er dag en nacht.
reply-contact-info = Je kunt ons bellen op { $phone } of mailen naar { $email }. We beantwoorden e-mails meestal binnen één werkdag.
reply-damaged-item = Wat vervelend dat je bestelling niet goed is aangekomen. Ik verbind je door met een collega die het voor je oplost – bewaar het artikel en de verpakking alsjeblieft.
reply-complaint = Het spijt me dat we je hebben teleurgesteld, en bedankt dat je het ons laat weten. Als je wilt, kan iemand van ons team er persoonlijk naar kijken.
reply-human-agent = Natuurlijk – ik verbind je door met iemand van ons team.
reply-language-help = Ik spreek English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 en 日本語. Schrijf gewoon in je eigen taal, of kies er een in het taalmenu.
