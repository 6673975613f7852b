# What the bot says outside the intents' answers (Simplified Chinese).

# When no intent matched confidently.
fallback = 抱歉，我没太明白您的意思。能换个说法吗？我可以帮您处理以下问题：
# After two fallbacks in a row: offer a person.
fallback-offer-human = 抱歉，这个问题我暂时帮不上忙。需要为您转接人工客服吗？
# Shown when nobody can take a hand-off right now.
handoff-unavailable = 目前暂无同事在线。您可以继续和我聊，或发送邮件至{ $email }，我们会在一个工作日内回复。

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = 你好
suggest-order-status = 我的订单在哪？
suggest-shipping-time = 配送时间
suggest-shipping-cost = 运费
suggest-return-item = 退货
suggest-refund-status = 我的退款
suggest-cancel-order = 取消订单
suggest-change-address = 修改地址
suggest-payment-methods = 支付方式
suggest-payment-failed = 支付问题
suggest-reset-password = 重置密码
suggest-delete-account = 注销账户
suggest-opening-hours = 服务时间
suggest-contact-info = 联系我们
suggest-damaged-item = 商品损坏
suggest-human-agent = 转人工客服
