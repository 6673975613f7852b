# Spanish answers to the intents of intents/catalog.toml.
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.

reply-greeting = ¡Hola! Soy el asistente de { $shop_name }. Puedo ayudarte con pedidos, envíos, devoluciones y pagos. ¿En qué puedo ayudarte?
reply-goodbye = Gracias por escribirnos. ¡Que tengas un buen día!
reply-thanks = ¡De nada! ¿Hay algo más en lo que pueda ayudarte?
reply-order-status = Puedes seguir tu pedido en «Mis pedidos», dentro de tu cuenta; el enlace de seguimiento también está en el correo de confirmación de envío. Si me dices el número de pedido, te indico dónde encontrarlo.
reply-order-status-known = Vamos a ver el pedido { $order }. Tienes el seguimiento en tiempo real en «Mis pedidos» → { $order }; además, te enviamos el enlace de seguimiento por correo cuando salió. Si lleva más de 2 días sin moverse, un compañero puede consultarlo con la empresa de transporte.
reply-shipping-time = El envío estándar tarda de { $standard_days_min } a { $standard_days_max } días laborables. El envío exprés llega en { $express_days ->
        [one] { $express_days } día laborable
       *[other] { $express_days } días laborables
    } si haces el pedido antes de las 14:00.
reply-shipping-cost = El envío estándar cuesta { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } € y es gratis en pedidos de más de { NUMBER($free_shipping_threshold) } €. El envío exprés cuesta { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Puedes devolver cualquier artículo en un plazo de { $return_days } días. Entra en «Mis pedidos», elige el artículo y pulsa «Devolver»: recibirás una etiqueta de devolución gratuita para imprimirla o mostrarla en el punto de entrega.
reply-refund-status = En cuanto tu devolución llegue a nuestro almacén, te hacemos el reembolso en { $refund_days_min }–{ $refund_days_max } días laborables, con el mismo método de pago que usaste. Tu banco puede tardar unos días más en reflejarlo.
reply-cancel-order = Puedes cancelar un pedido en «Mis pedidos» mientras no se haya enviado. Si ya está en camino, basta con rechazar la entrega o devolverlo gratis, y te reembolsaremos el importe.
reply-change-address = Puedes cambiar la dirección de entrega en «Mis pedidos» hasta que se envíe el pedido. Si ya está en camino, redirígelo desde la página de seguimiento de la empresa de transporte.
reply-payment-methods = Aceptamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay y transferencia bancaria. En algunos países también puedes pagar a plazos con Klarna.
reply-payment-failed = ¡Vaya, lo siento! Comprueba que los datos de la tarjeta y la dirección de facturación son correctos, que tu tarjeta admite pagos online y que has completado la verificación 3-D Secure de tu banco. Si aun así falla, prueba con otro método de pago: no se te cobrará dos veces.
reply-reset-password = Para restablecer tu contraseña, haz clic en «¿Has olvidado tu contraseña?» en la página de inicio de sesión e introduce tu correo. El enlace que te enviamos es válido durante 1 hora; si no lo ves, revisa la carpeta de spam.
reply-delete-account = Puedes eliminar tu cuenta y tus datos personales en «Ajustes de la cuenta» → «Privacidad» → «Eliminar mi cuenta». Te lo confirmamos por correo y borramos tus datos en un plazo de 30 días, salvo los que la ley nos obliga a conservar (como las facturas).
reply-opening-hours = Nuestro equipo de atención al cliente está disponible de lunes a sábado, de { $opens } a { $closes }. Para todo lo demás, yo estoy aquí las 24 horas.
reply-contact-info = Puedes llamarnos al { $phone } o escribirnos a { $email }. Normalmente respondemos a los correos en un día laborable.
reply-damaged-item = Siento mucho que tu pedido no haya llegado como debía. Te paso con un compañero que lo va a solucionar; por favor, guarda el artículo y el embalaje.
reply-complaint = Lamento que no hayamos estado a la altura, y gracias por contárnoslo. Si quieres, una persona de nuestro equipo puede revisarlo personalmente.
reply-human-agent = ¡Claro! Te paso con una persona de nuestro equipo.
reply-language-help = Hablo English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 y 日本語. Escríbeme en tu idioma o elige uno en el menú de idiomas.
