# Canned replies (German): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Hallo, ich bin { $agent }. Danke fürs Warten – ich kümmere mich jetzt darum.
canned-order-number = Könnten Sie mir bitte Ihre Bestellnummer nennen? Sie finden sie in Ihrer Bestellbestätigung per E-Mail.
canned-refund = Ich habe Ihre Rückerstattung veranlasst. Das Geld ist innerhalb von 5–10 Werktagen wieder auf Ihrem ursprünglichen Zahlungsmittel.
canned-checking = Danke – ich prüfe das gerade. Es dauert ein, zwei Minuten.
canned-anything-else = Kann ich Ihnen sonst noch irgendwie helfen?
canned-goodbye = Danke für Ihre Nachricht. Einen schönen Tag noch!
