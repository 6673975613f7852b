# What the bot says outside the intents' answers (Italian).

# When no intent matched confidently.
fallback = Scusa, non ho capito bene. Puoi dirlo con altre parole? Ecco alcune cose in cui posso aiutarti:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Mi dispiace, su questo non riesco ad aiutarti. Vuoi parlare con una persona del nostro team?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Al momento non ci sono colleghi disponibili. Puoi continuare a scrivermi oppure mandare un'email a { $email }: ti risponderemo entro un giorno lavorativo.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Ciao
suggest-order-status = Dov'è il mio ordine?
suggest-shipping-time = Tempi di consegna
suggest-shipping-cost = Costi di spedizione
suggest-return-item = Restituisci un articolo
suggest-refund-status = Il mio rimborso
suggest-cancel-order = Annulla un ordine
suggest-change-address = Cambia indirizzo
suggest-payment-methods = Metodi di pagamento
suggest-payment-failed = Problema di pagamento
suggest-reset-password = Reimposta password
suggest-delete-account = Elimina il mio account
suggest-opening-hours = Orari
suggest-contact-info = Contattaci
suggest-damaged-item = Articolo danneggiato
suggest-human-agent = Parla con una persona
