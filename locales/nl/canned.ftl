# Canned replies (Dutch): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Hoi, ik ben { $agent }. Bedankt voor het wachten, ik zoek het meteen voor je uit.
canned-order-number = Kun je me je bestelnummer geven? Je vindt het in de bevestigingsmail van je bestelling.
canned-refund = Ik heb je terugbetaling gestart. Het geld staat binnen 5 tot 10 werkdagen weer op je oorspronkelijke betaalmethode.
canned-checking = Bedankt, ik kijk het nu na. Dat duurt een minuutje of twee.
canned-anything-else = Kan ik je nog ergens anders mee helpen?
canned-goodbye = Bedankt voor je bericht. Nog een fijne dag!
