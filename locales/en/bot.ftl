# What the bot says outside the intents' answers.

# When no intent matched confidently.
fallback = Sorry, I didn't quite understand. Could you say it in other words? Here are some things I can help with:
# After two fallbacks in a row: offer a person.
fallback-offer-human = I'm sorry I can't help with that. Would you like to talk to a member of our team?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = No colleague is available right now. You can keep chatting with me, or write to { $email } and we'll answer within one business day.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Hello
suggest-order-status = Where is my order?
suggest-shipping-time = Delivery times
suggest-shipping-cost = Shipping costs
suggest-return-item = Return an item
suggest-refund-status = My refund
suggest-cancel-order = Cancel an order
suggest-change-address = Change address
suggest-payment-methods = Payment methods
suggest-payment-failed = Payment problem
suggest-reset-password = Reset password
suggest-delete-account = Delete my account
suggest-opening-hours = Opening hours
suggest-contact-info = Contact us
suggest-damaged-item = Damaged item
suggest-human-agent = Talk to a person
