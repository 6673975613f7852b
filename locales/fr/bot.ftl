# What the bot says outside the intents' answers (French).

# When no intent matched confidently.
fallback = Désolé, je n'ai pas bien compris. Pourriez-vous reformuler ? Voici quelques sujets pour lesquels je peux vous aider :
# After two fallbacks in a row: offer a person.
fallback-offer-human = Désolé, je ne peux pas vous aider sur ce point. Souhaitez-vous parler à un membre de notre équipe ?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Aucun collègue n'est disponible pour le moment. Vous pouvez continuer à discuter avec moi, ou écrire à { $email } : nous vous répondrons sous un jour ouvré.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Bonjour
suggest-order-status = Où est ma commande ?
suggest-shipping-time = Délais de livraison
suggest-shipping-cost = Frais de livraison
suggest-return-item = Retourner un article
suggest-refund-status = Mon remboursement
suggest-cancel-order = Annuler une commande
suggest-change-address = Changer d'adresse
suggest-payment-methods = Moyens de paiement
suggest-payment-failed = Problème de paiement
suggest-reset-password = Mot de passe oublié
suggest-delete-account = Supprimer mon compte
suggest-opening-hours = Horaires
suggest-contact-info = Nous contacter
suggest-damaged-item = Article endommagé
suggest-human-agent = Parler à un conseiller
