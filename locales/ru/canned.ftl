# Canned replies (Russian): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Здравствуйте, меня зовут { $agent }. Спасибо за ожидание — сейчас во всём разберусь.
canned-order-number = Подскажите, пожалуйста, номер вашего заказа. Он указан в письме с подтверждением заказа.
canned-refund = Возврат оформлен. Деньги вернутся на исходный способ оплаты в течение 5–10 рабочих дней.
canned-checking = Спасибо, сейчас проверяю. Это займёт минуту-другую.
canned-anything-else = Могу ли я ещё чем-нибудь помочь?
canned-goodbye = Спасибо за обращение. Хорошего дня!
