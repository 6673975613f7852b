# Answers to the intents of intents/catalog.toml.
# Variables: every fact of locales/shop.toml ($shop_name, $phone, $email, $standard_shipping_cost,
# $express_shipping_cost, $free_shipping_threshold, $standard_days_min, $standard_days_max,
# $express_days, $return_days, $refund_days_min, $refund_days_max, $opens, $closes);
# reply-order-status-known also gets $order (the order number the customer wrote).

reply-greeting = Hello! I'm the { $shop_name } assistant. I can help with orders, deliveries, returns and payments. What can I do for you?
reply-goodbye = Thanks for chatting with us. Have a great day!
reply-thanks = You're welcome! Is there anything else I can help you with?
reply-order-status = You can follow your order under "My orders" in your account; the tracking link is also in your shipping confirmation email. If you tell me your order number, I can point you to it.
reply-order-status-known = Let me look at order { $order }. You'll find its live tracking under "My orders" → { $order }; the tracking link was also emailed to you when it shipped. If it hasn't moved for more than 2 days, a colleague can check with the carrier.
reply-shipping-time = Standard delivery takes { $standard_days_min }–{ $standard_days_max } business days. Express delivery arrives in { $express_days ->
        [one] { $express_days } business day
       *[other] { $express_days } business days
    } if you order before 2 pm.
reply-shipping-cost = Standard delivery costs €{ NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } and is free on orders over €{ NUMBER($free_shipping_threshold) }. Express delivery costs €{ NUMBER($express_shipping_cost, minimumFractionDigits: 2) }.
reply-return-item = You can return any item within { $return_days } days. Go to "My orders", choose the item and select "Return" — you'll get a free return label to print or show at the drop-off point.
reply-refund-status = Once your return reaches our warehouse, we refund it within { $refund_days_min }–{ $refund_days_max } business days, to the same payment method you used. Your bank may need a few more days to show it.
reply-cancel-order = You can cancel an order in "My orders" as long as it hasn't shipped yet. If it has already shipped, simply refuse the delivery or return it free of charge, and we'll refund you.
reply-change-address = You can change the delivery address in "My orders" until the order ships. If it is already on its way, use the carrier's tracking page to redirect it.
reply-payment-methods = We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and bank transfer. You can also pay in instalments with Klarna in some countries.
reply-payment-failed = Sorry about that! Please check that your card details and billing address are correct, that your card allows online payments, and that you completed the 3-D Secure check with your bank. If it still fails, try another payment method — you won't be charged twice.
reply-reset-password = To reset your password, click "Forgot password?" on the sign-in page and enter your email. The link we send is valid for 1 hour — check your spam folder if you don't see it.
reply-delete-account = You can delete your account and personal data under "Account settings" → "Privacy" → "Delete my account". We confirm by email, and your data is erased within 30 days, except what the law requires us to keep (such as invoices).
reply-opening-hours = Our support team is available Monday to Saturday from { $opens } to { $closes }. I'm here around the clock for everything else.
reply-contact-info = You can reach us by phone at { $phone } or by email at { $email }. We usually answer emails within one business day.
reply-damaged-item = I'm very sorry your order didn't arrive as it should. I'm connecting you with a colleague who will sort it out — please keep the item and the packaging.
reply-complaint = I'm sorry we let you down, and thank you for telling us. If you'd like, a member of our team can look into it personally.
reply-human-agent = Of course — I'm connecting you with a member of our team.
reply-language-help = I speak English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 and 日本語. Just write in your language, or pick one from the language menu.
