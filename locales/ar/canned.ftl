# Canned replies (Arabic): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = مرحبًا، أنا { $agent }. شكرًا على انتظارك — دعني أتحقق من الأمر من أجلك.
canned-order-number = هل يمكنك تزويدي برقم طلبك من فضلك؟ ستجده في رسالة تأكيد الطلب على بريدك الإلكتروني.
canned-refund = لقد بدأت إجراءات استرداد المبلغ. سيعود المال إلى وسيلة الدفع الأصلية خلال ٥ إلى ١٠ أيام عمل.
canned-checking = شكرًا — أتحقق من ذلك الآن، وسيستغرق الأمر دقيقة أو دقيقتين.
canned-anything-else = هل هناك أي شيء آخر يمكنني مساعدتك به؟
canned-goodbye = شكرًا لتواصلك معنا. نتمنى لك يومًا سعيدًا!
