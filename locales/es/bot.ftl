# What the bot says outside the intents' answers (Spanish).

# When no intent matched confidently.
fallback = Perdona, no te he entendido bien. ¿Puedes decírmelo con otras palabras? Estas son algunas cosas en las que puedo ayudarte:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Siento no poder ayudarte con esto. ¿Quieres hablar con una persona de nuestro equipo?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Ahora mismo no hay ningún compañero disponible. Puedes seguir hablando conmigo o escribir a { $email } y te responderemos en un día laborable.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Hola
suggest-order-status = ¿Dónde está mi pedido?
suggest-shipping-time = Plazos de entrega
suggest-shipping-cost = Gastos de envío
suggest-return-item = Devolver un artículo
suggest-refund-status = Mi reembolso
suggest-cancel-order = Cancelar un pedido
suggest-change-address = Cambiar dirección
suggest-payment-methods = Formas de pago
suggest-payment-failed = Problema con el pago
suggest-reset-password = Restablecer contraseña
suggest-delete-account = Eliminar mi cuenta
suggest-opening-hours = Horario de atención
suggest-contact-info = Contacto
suggest-damaged-item = Artículo dañado
suggest-human-agent = Hablar con una persona
