# Canned replies (Portuguese): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Olá, daqui fala { $agent }. Obrigado por aguardar — vou já verificar isto.
canned-order-number = Pode indicar-me o número da sua encomenda, por favor? Encontra-o no e-mail de confirmação da encomenda.
canned-refund = Já iniciei o seu reembolso. O dinheiro volta para o método de pagamento original no prazo de 5 a 10 dias úteis.
canned-checking = Obrigado — estou a verificar agora. Demora um ou dois minutos.
canned-anything-else = Posso ajudar com mais alguma coisa?
canned-goodbye = Obrigado por nos contactar. Tenha um bom dia!
