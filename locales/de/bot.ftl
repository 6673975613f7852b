# What the bot says outside the intents' answers (German).

# When no intent matched confidently.
fallback = Entschuldigung, das habe ich nicht ganz verstanden. Können Sie es anders formulieren? Dabei kann ich Ihnen zum Beispiel helfen:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Dabei kann ich Ihnen leider nicht weiterhelfen. Möchten Sie mit einem Mitglied unseres Teams sprechen?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Gerade ist leider kein Kollege verfügbar. Sie können weiter mit mir chatten oder an { $email } schreiben – wir antworten innerhalb eines Werktags.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Hallo
suggest-order-status = Wo ist meine Bestellung?
suggest-shipping-time = Lieferzeiten
suggest-shipping-cost = Versandkosten
suggest-return-item = Artikel zurücksenden
suggest-refund-status = Meine Erstattung
suggest-cancel-order = Bestellung stornieren
suggest-change-address = Adresse ändern
suggest-payment-methods = Zahlungsarten
suggest-payment-failed = Problem bei der Zahlung
suggest-reset-password = Passwort zurücksetzen
suggest-delete-account = Konto löschen
suggest-opening-hours = Servicezeiten
suggest-contact-info = Kontakt
suggest-damaged-item = Beschädigter Artikel
suggest-human-agent = Mit einem Menschen sprechen
