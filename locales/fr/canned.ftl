# Canned replies (French): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Bonjour, je suis { $agent }. Merci de votre patience, je m'en occupe tout de suite.
canned-order-number = Pourriez-vous me donner votre numéro de commande, s'il vous plaît ? Vous le trouverez dans l'e-mail de confirmation de commande.
canned-refund = J'ai lancé votre remboursement. L'argent sera recrédité sur votre moyen de paiement d'origine sous 5 à 10 jours ouvrés.
canned-checking = Merci, je vérifie cela maintenant. Cela prendra une minute ou deux.
canned-anything-else = Puis-je vous aider pour autre chose ?
canned-goodbye = Merci de nous avoir contactés. Excellente journée !
