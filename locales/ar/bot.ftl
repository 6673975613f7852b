# What the bot says outside the intents' answers (Arabic, right-to-left).

# When no intent matched confidently.
fallback = عذرًا، لم أفهم قصدك تمامًا. هل يمكنك كتابتها بطريقة أخرى؟ إليك بعض الأمور التي يمكنني مساعدتك فيها:
# After two fallbacks in a row: offer a person.
fallback-offer-human = يؤسفني أنني لا أستطيع المساعدة في هذا. هل تود التحدث إلى أحد أعضاء فريقنا؟
# Shown when nobody can take a hand-off right now.
handoff-unavailable = لا يوجد زميل متاح حاليًا. يمكنك مواصلة المحادثة معي، أو مراسلتنا على { $email } وسنرد عليك خلال يوم عمل واحد.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = مرحبًا
suggest-order-status = أين طلبي؟
suggest-shipping-time = مدة التوصيل
suggest-shipping-cost = تكلفة الشحن
suggest-return-item = إرجاع منتج
suggest-refund-status = استرداد المبلغ
suggest-cancel-order = إلغاء الطلب
suggest-change-address = تغيير العنوان
suggest-payment-methods = طرق الدفع
suggest-payment-failed = مشكلة في الدفع
suggest-reset-password = إعادة تعيين كلمة المرور
suggest-delete-account = حذف حسابي
suggest-opening-hours = ساعات العمل
suggest-contact-info = تواصل معنا
suggest-damaged-item = منتج تالف
suggest-human-agent = التحدث مع موظف
