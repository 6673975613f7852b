# What the bot says outside the intents' answers (Dutch).

# When no intent matched confidently.
fallback = Sorry, dat begreep ik niet helemaal. Kun je het anders zeggen? Hiermee kan ik je onder andere helpen:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Sorry, daar kan ik je helaas niet mee helpen. Wil je met iemand van ons team praten?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Er is op dit moment geen collega beschikbaar. Je kunt verder chatten met mij, of mail naar { $email }, dan antwoorden we binnen één werkdag.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Hallo
suggest-order-status = Waar is mijn bestelling?
suggest-shipping-time = Levertijden
suggest-shipping-cost = Verzendkosten
suggest-return-item = Artikel retourneren
suggest-refund-status = Mijn terugbetaling
suggest-cancel-order = Bestelling annuleren
suggest-change-address = Adres wijzigen
suggest-payment-methods = Betaalmethoden
suggest-payment-failed = Probleem met betalen
suggest-reset-password = Wachtwoord resetten
suggest-delete-account = Mijn account verwijderen
suggest-opening-hours = Openingstijden
suggest-contact-info = Contact
suggest-damaged-item = Beschadigd artikel
suggest-human-agent = Met een medewerker praten
