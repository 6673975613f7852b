# Canned replies (Chinese): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = 您好，我是{ $agent }。感谢您的耐心等待，我马上为您查看。
canned-order-number = 请问您的订单号是多少？您可以在订单确认邮件中找到它。
canned-refund = 我已经为您发起退款，款项将在 5–10 个工作日内退回您原来的支付方式。
canned-checking = 谢谢，我正在为您核实，大约需要一两分钟。
canned-anything-else = 请问还有其他可以帮您的吗？
canned-goodbye = 感谢您联系我们，祝您生活愉快！
