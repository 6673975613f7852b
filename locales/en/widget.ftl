# The chat widget's own words (English). Served by GET /v1/widget/strings; every message whose
# id starts with "widget-" is sent, without the prefix. Only the shop's facts are passed as
# variables (e.g. $shop_name); numbers, times and counts are formatted by the browser.

# This language, named in itself (the language picker lists it so).
widget-language-name = English
# The header of the chat window.
widget-title = { $shop_name }
widget-subtitle = We usually reply in a few minutes
# Shown at the top of a new conversation.
widget-greeting = Hi there 👋 How can we help you today?
# The round button that opens and closes the chat (for screen readers).
widget-open = Open chat
widget-close = Close chat
# The button in the window's header that closes it (a different name from the launcher's).
widget-minimize = Minimise chat
# The message box.
widget-input-label = Your message
widget-input-placeholder = Write a message…
widget-send = Send
widget-language = Language
# Asks for a person; ends the conversation.
widget-human = Talk to a person
widget-end = End chat
widget-end-confirm = End this conversation? The transcript will be cleared.
widget-cancel = Cancel
widget-ended = This conversation has ended.
widget-restart = Start a new conversation
# Who wrote a message (read out by screen readers).
widget-you = You
widget-bot = Assistant
widget-agent = Support team
widget-typing = Typing…
# Delivery of the customer's messages.
widget-sending = Sending…
# The connection.
widget-connecting = Connecting…
widget-reconnecting = Connection lost. Reconnecting…
widget-offline = You are offline. Your messages will be sent when you are back online.
widget-elsewhere = This chat is open in another tab or window.
widget-use-here = Continue here
# A session that expired: a new conversation started.
widget-new-session = Your previous conversation has ended. A new one has started.
# The hand-off to a person.
widget-queue-position = Position in queue
widget-wait = Estimated wait
widget-with-agent = You are chatting with
widget-unread = Unread messages
# Errors the gateway reports.
widget-error-too-long = This message is too long. Please shorten it.
widget-error-rate-limited = You are sending messages too quickly. Please wait a moment.
widget-error-generic = Something went wrong. Please try again.
