# Canned replies (Spanish): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Hola, soy { $agent }. Gracias por esperar, ahora mismo lo reviso.
canned-order-number = ¿Me podrías dar tu número de pedido, por favor? Lo encontrarás en el correo de confirmación del pedido.
canned-refund = Ya he iniciado tu reembolso. El dinero volverá a tu método de pago original en un plazo de 5 a 10 días hábiles.
canned-checking = Gracias, lo estoy comprobando ahora. Será cosa de un par de minutos.
canned-anything-else = ¿Hay algo más en lo que te pueda ayudar?
canned-goodbye = Gracias por escribirnos. ¡Que tengas un buen día!
