# What the bot says outside the intents' answers (Portuguese).

# When no intent matched confidently.
fallback = Desculpe, não percebi bem. Pode dizer por outras palavras? Eis algumas coisas em que posso ajudar:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Lamento, não consigo ajudar com isso. Quer falar com alguém da nossa equipa?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = De momento, não há nenhum colega disponível. Pode continuar a conversar comigo ou escrever para { $email } e respondemos no prazo de um dia útil.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Olá
suggest-order-status = Onde está a minha encomenda?
suggest-shipping-time = Prazos de entrega
suggest-shipping-cost = Portes de envio
suggest-return-item = Devolver um artigo
suggest-refund-status = O meu reembolso
suggest-cancel-order = Cancelar encomenda
suggest-change-address = Alterar morada
suggest-payment-methods = Métodos de pagamento
suggest-payment-failed = Problema no pagamento
suggest-reset-password = Redefinir palavra-passe
suggest-delete-account = Eliminar a minha conta
suggest-opening-hours = Horário
suggest-contact-info = Contactos
suggest-damaged-item = Artigo danificado
suggest-human-agent = Falar com uma pessoa
