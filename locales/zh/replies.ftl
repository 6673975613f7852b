# Answers to the intents of intents/catalog.toml (Simplified Chinese).
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.

reply-greeting = 您好！我是{ $shop_name }的智能助手，可以帮您处理订单、配送、退货和付款方面的问题。请问有什么可以帮您？
reply-goodbye = 感谢您的咨询，祝您生活愉快！
reply-thanks = 不客气！还有其他可以帮您的吗？
reply-order-status = 您可以在账户的“我的订单”中查看订单进度，发货确认邮件里也附有物流跟踪链接。告诉我您的订单号，我可以帮您直接找到它。
reply-order-status-known = 我来帮您看看订单{ $order }。您可以在“我的订单”→{ $order }中查看实时物流；发货时我们也已将跟踪链接发送到您的邮箱。如果物流信息超过2天没有更新，我们的同事可以帮您联系快递公司核实。
reply-shipping-time = 标准配送需要{ $standard_days_min }–{ $standard_days_max }个工作日。下午2点前下单并选择加急配送，{ $express_days }个工作日即可送达。
reply-shipping-cost = 标准配送运费为€{ NUMBER($standard_shipping_cost, minimumFractionDigits: 2) }，订单金额超过€{ NUMBER($free_shipping_threshold) }即可免运费。加急配送运费为€{ NUMBER($express_shipping_cost, minimumFractionDigits: 2) }。
reply-return-item = 所有商品均可在{ $return_days }天内退货。进入“我的订单”，选择商品后点击“退货”，即可获得免费退货面单，打印出来或在寄件点出示即可。
reply-refund-status = 退货商品到达我们的仓库后，我们会在{ $refund_days_min }–{ $refund_days_max }个工作日内按原支付方式退款。银行入账可能还需要几天时间。
reply-cancel-order = 订单发货前，您可以在“我的订单”中直接取消。如果已经发货，您可以拒收包裹或免费退回，我们会为您退款。
reply-change-address = 订单发货前，您可以在“我的订单”中修改收货地址。如果包裹已在运输途中，可以通过快递公司的物流跟踪页面改派到新地址。
reply-payment-methods = 我们支持Visa、Mastercard、American Express、PayPal、Apple Pay、Google Pay和银行转账。部分国家还可以通过Klarna分期付款。
reply-payment-failed = 很抱歉给您带来不便！请检查银行卡信息和账单地址是否正确、银行卡是否已开通网上支付，以及是否已完成银行的3-D Secure验证。如果仍然失败，可以换一种支付方式试试——不会重复扣款。
reply-reset-password = 重置密码请在登录页面点击“忘记密码？”并输入您的邮箱。我们发送的链接1小时内有效——如果没收到，请查看一下垃圾邮件文件夹。
reply-delete-account = 您可以在“账户设置”→“隐私”→“注销我的账户”中删除账户和个人数据。我们会通过邮件确认，您的数据将在30天内删除，法律要求保留的信息（如发票）除外。
reply-opening-hours = 我们的人工客服周一至周六{ $opens }至{ $closes }在线。其他问题您随时可以问我，我24小时都在。
reply-contact-info = 您可以拨打电话{ $phone }或发送邮件至{ $email }联系我们。邮件通常会在一个工作日内回复。
reply-damaged-item = 非常抱歉，您的订单没有完好送达。我现在为您转接同事处理——请先保留好商品和包装。
reply-complaint = 很抱歉让您失望了，也感谢您告诉我们。如果您愿意，我们团队的同事可以亲自跟进这件事。
reply-human-agent = 好的，马上为您转接我们团队的同事。
reply-language-help = 我会说English、Español、Français、Deutsch、Português、Italiano、Nederlands、Русский、Türkçe、العربية、हिन्दी、中文和日本語。直接用您的语言输入就行，也可以在语言菜单中选择。
