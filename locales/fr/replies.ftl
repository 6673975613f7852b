# French answers to the intents of intents/catalog.toml.
# Variables: see locales/en/replies.ftl and locales/shop.toml.

reply-greeting = Bonjour ! Je suis l'assistant { $shop_name }. Je peux vous aider pour vos commandes, livraisons, retours et paiements. Que puis-je faire pour vous ?
reply-goodbye = Merci pour cet échange, et très bonne journée à vous !
reply-thanks = Avec plaisir ! Puis-je vous aider pour autre chose ?
reply-order-status = Vous pouvez suivre votre commande dans « Mes commandes », depuis votre compte ; le lien de suivi figure aussi dans l'e-mail de confirmation d'expédition. Donnez-moi votre numéro de commande et je vous indique où la trouver.
reply-order-status-known = Je regarde la commande { $order }. Vous trouverez son suivi en temps réel dans « Mes commandes » → { $order } ; le lien de suivi vous a aussi été envoyé par e-mail lors de l'expédition. Si le colis n'a pas bougé depuis plus de 2 jours, un collègue peut vérifier auprès du transporteur.
reply-shipping-time = La livraison standard prend { $standard_days_min } à { $standard_days_max } jours ouvrés. En express, vous êtes livré en { $express_days ->
        [one] { $express_days } jour ouvré
       *[other] { $express_days } jours ouvrés
    } si vous commandez avant 14 h.
reply-shipping-cost = La livraison standard coûte { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } € et elle est offerte dès { NUMBER($free_shipping_threshold) } € d'achat. La livraison express coûte { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Vous pouvez retourner tout article sous { $return_days } jours. Rendez-vous dans « Mes commandes », choisissez l'article puis « Retourner » : vous recevrez une étiquette de retour gratuite, à imprimer ou à présenter au point de dépôt.
reply-refund-status = Dès que votre retour arrive dans notre entrepôt, nous vous remboursons sous { $refund_days_min } à { $refund_days_max } jours ouvrés, sur le moyen de paiement que vous avez utilisé. Votre banque peut mettre quelques jours de plus à l'afficher.
reply-cancel-order = Vous pouvez annuler une commande dans « Mes commandes » tant qu'elle n'est pas expédiée. Si elle est déjà partie, refusez simplement le colis ou renvoyez-le gratuitement : nous vous rembourserons.
reply-change-address = Vous pouvez modifier l'adresse de livraison dans « Mes commandes » jusqu'à l'expédition. Si le colis est déjà en route, passez par la page de suivi du transporteur pour le faire rediriger.
reply-payment-methods = Nous acceptons Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay et le virement bancaire. Dans certains pays, vous pouvez aussi payer en plusieurs fois avec Klarna.
reply-payment-failed = Désolé pour ce souci ! Vérifiez que les données de votre carte et votre adresse de facturation sont correctes, que votre carte autorise les paiements en ligne et que vous avez bien validé l'authentification 3-D Secure auprès de votre banque. Si le paiement échoue encore, essayez un autre moyen de paiement : vous ne serez pas débité deux fois.
reply-reset-password = Pour réinitialiser votre mot de passe, cliquez sur « Mot de passe oublié ? » sur la page de connexion et saisissez votre adresse e-mail. Le lien que nous vous envoyons est valable 1 heure ; pensez à regarder dans vos spams si vous ne le voyez pas.
reply-delete-account = Vous pouvez supprimer votre compte et vos données personnelles dans « Paramètres du compte » → « Confidentialité » → « Supprimer mon compte ». Nous vous le confirmons par e-mail, et vos données sont effacées sous 30 jours, sauf celles que la loi nous oblige à conserver (comme les factures).
reply-opening-hours = Notre service client vous répond du lundi au samedi, de { $opens } à { $closes }. Pour tout le reste, je suis là 24 h/24.
reply-contact-info = Vous pouvez nous joindre par téléphone au { $phone } ou par e-mail à { $email }. Nous répondons généralement aux e-mails sous un jour ouvré.
reply-damaged-item = Je suis vraiment désolé que votre commande ne soit pas arrivée comme elle aurait dû. Je vous mets en relation avec un collègue qui va s'en occuper ; merci de conserver l'article et son emballage.
reply-complaint = Nous sommes désolés de ne pas avoir été à la hauteur, et merci de nous l'avoir dit. Si vous le souhaitez, un membre de notre équipe peut examiner votre situation personnellement.
reply-human-agent = Bien sûr, je vous mets en relation avec un membre de notre équipe.
reply-language-help = Je parle English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 et 日本語. Écrivez simplement dans votre langue, ou choisissez-en une dans le menu des langues.
