# Canned replies (English): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Hi, I'm { $agent }. Thanks for waiting — let me look into this for you.
canned-order-number = Could you give me your order number, please? You'll find it in your order confirmation e-mail.
canned-refund = I've started your refund. The money will be back on your original payment method within 5–10 business days.
canned-checking = Thanks — I'm checking this now. It will take a minute or two.
canned-anything-else = Is there anything else I can help you with?
canned-goodbye = Thanks for contacting us. Have a great day!
