# What the bot says outside the intents' answers (Russian).

# When no intent matched confidently.
fallback = Извините, не совсем вас понимаю. Можете сформулировать по-другому? Вот с чем я могу помочь:
# After two fallbacks in a row: offer a person.
fallback-offer-human = К сожалению, с этим я помочь не могу. Хотите поговорить с сотрудником нашей команды?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Сейчас нет свободных сотрудников. Можете продолжить общение со мной или написать на { $email } — мы ответим в течение одного рабочего дня.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Привет
suggest-order-status = Где мой заказ?
suggest-shipping-time = Сроки доставки
suggest-shipping-cost = Стоимость доставки
suggest-return-item = Вернуть товар
suggest-refund-status = Возврат денег
suggest-cancel-order = Отменить заказ
suggest-change-address = Изменить адрес
suggest-payment-methods = Способы оплаты
suggest-payment-failed = Проблема с оплатой
suggest-reset-password = Сбросить пароль
suggest-delete-account = Удалить аккаунт
suggest-opening-hours = Часы работы
suggest-contact-info = Контакты
suggest-damaged-item = Повреждённый товар
suggest-human-agent = Поговорить с человеком
