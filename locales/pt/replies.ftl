# Portuguese answers to the intents of intents/catalog.toml.
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.

reply-greeting = Olá! Sou o assistente da { $shop_name }. Posso ajudar com encomendas, entregas, devoluções e pagamentos. Em que posso ajudar?
reply-goodbye = Obrigado por falar connosco. Tenha um excelente dia!
reply-thanks = De nada! Há mais alguma coisa em que possa ajudar?
reply-order-status = Pode acompanhar a sua encomenda em «As minhas encomendas», na sua conta; o link de seguimento também está no email de confirmação de envio. Se me indicar o número da encomenda, digo-lhe onde a encontrar.
reply-order-status-known = Vamos ver a encomenda { $order }. Encontra o seguimento em tempo real em «As minhas encomendas» → { $order }; o link de seguimento também lhe foi enviado por email quando a encomenda foi expedida. Se estiver parada há mais de 2 dias, um colega pode verificar com a transportadora.
reply-shipping-time = A entrega normal demora { $standard_days_min } a { $standard_days_max } dias úteis. A entrega expresso chega em { $express_days ->
        [one] { $express_days } dia útil
       *[other] { $express_days } dias úteis
    } se encomendar antes das 14h00.
reply-shipping-cost = A entrega normal custa { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } € e é gratuita em encomendas acima de { NUMBER($free_shipping_threshold) } €. A entrega expresso custa { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Pode devolver qualquer artigo no prazo de { $return_days } dias. Vá a «As minhas encomendas», escolha o artigo e selecione «Devolver» — recebe uma etiqueta de devolução gratuita para imprimir ou mostrar no ponto de entrega.
reply-refund-status = Assim que a sua devolução chegar ao nosso armazém, fazemos o reembolso em { $refund_days_min }–{ $refund_days_max } dias úteis, para o mesmo método de pagamento que utilizou. O seu banco pode demorar mais alguns dias a mostrá-lo.
reply-cancel-order = Pode cancelar uma encomenda em «As minhas encomendas» enquanto ainda não tiver sido expedida. Se já foi expedida, basta recusar a entrega ou devolvê-la gratuitamente, e nós reembolsamos o valor.
reply-change-address = Pode alterar a morada de entrega em «As minhas encomendas» até a encomenda ser expedida. Se já estiver a caminho, use a página de seguimento da transportadora para a redirecionar.
reply-payment-methods = Aceitamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay e transferência bancária. Em alguns países, também pode pagar em prestações com a Klarna.
reply-payment-failed = Lamentamos o incómodo! Verifique se os dados do cartão e a morada de faturação estão corretos, se o cartão permite pagamentos online e se concluiu a verificação 3-D Secure do seu banco. Se continuar a falhar, experimente outro método de pagamento — não será cobrado duas vezes.
reply-reset-password = Para redefinir a palavra-passe, clique em «Esqueceu-se da palavra-passe?» na página de início de sessão e introduza o seu email. O link que enviamos é válido durante 1 hora — se não o encontrar, veja na pasta de spam.
reply-delete-account = Pode eliminar a sua conta e os seus dados pessoais em «Definições da conta» → «Privacidade» → «Eliminar a minha conta». Confirmamos por email e os seus dados são apagados no prazo de 30 dias, exceto os que a lei nos obriga a guardar (como as faturas).
reply-opening-hours = A nossa equipa de apoio está disponível de segunda a sábado, das { $opens } às { $closes }. Para tudo o resto, estou aqui a qualquer hora.
reply-contact-info = Pode contactar-nos pelo telefone { $phone } ou pelo email { $email }. Normalmente respondemos aos emails no prazo de um dia útil.
reply-damaged-item = Lamento muito que a sua encomenda não tenha chegado como devia. Vou passar a conversa a um colega que vai resolver a situação — por favor, guarde o artigo e a embalagem.
reply-complaint = Lamento muito não termos estado à altura, e obrigado por nos dizer. Se quiser, alguém da nossa equipa pode analisar o caso pessoalmente.
reply-human-agent = Claro! Vou passar a conversa a um membro da nossa equipa.
reply-language-help = Falo English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 e 日本語. Escreva na sua língua ou escolha uma no menu de idiomas.
