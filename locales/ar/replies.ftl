# Arabic answers to the intents of intents/catalog.toml (right-to-left).
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.
# Plurals: zero/one/two/few/many/other; ranges agree with the upper bound.

reply-greeting = مرحبًا! أنا المساعد الآلي لمتجر { $shop_name }. يمكنني مساعدتك في الطلبات والتوصيل والإرجاع والدفع. كيف يمكنني مساعدتك؟
reply-goodbye = شكرًا لتواصلك معنا. نتمنى لك يومًا سعيدًا!
reply-thanks = العفو! هل هناك شيء آخر يمكنني مساعدتك فيه؟
reply-order-status = يمكنك متابعة طلبك من قسم «طلباتي» في حسابك، كما تجد رابط التتبع في رسالة تأكيد الشحن التي وصلتك بالبريد الإلكتروني. أرسل لي رقم الطلب وسأدلك عليه.
reply-order-status-known = دعني أتحقق من الطلب { $order }. ستجد تتبعه المباشر في «طلباتي» ← { $order }، وقد أرسلنا لك رابط التتبع بالبريد الإلكتروني عند شحنه. إذا لم تتغير حالته لأكثر من يومين، يمكن لأحد زملائي متابعة الأمر مع شركة الشحن.
reply-shipping-time = يستغرق التوصيل العادي من { $standard_days_min } إلى { $standard_days_max } { $standard_days_max ->
        [zero] يوم عمل
        [one] يوم عمل
        [two] يوم عمل
        [few] أيام عمل
        [many] يوم عمل
       *[other] يوم عمل
    }. أما التوصيل السريع فيصلك خلال { $express_days ->
        [zero] { $express_days } يوم عمل
        [one] يوم عمل واحد
        [two] يومي عمل
        [few] { $express_days } أيام عمل
        [many] { $express_days } يوم عمل
       *[other] { $express_days } يوم عمل
    } إذا طلبت قبل الساعة الثانية ظهرًا.
reply-shipping-cost = تكلفة التوصيل العادي { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } €، ويكون مجانيًا للطلبات التي تزيد قيمتها على { NUMBER($free_shipping_threshold) } €. أما التوصيل السريع فتكلفته { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = يمكنك إرجاع أي منتج خلال { $return_days ->
        [zero] { $return_days } يوم
        [one] يوم واحد
        [two] يومين
        [few] { $return_days } أيام
        [many] { $return_days } يومًا
       *[other] { $return_days } يوم
    }. ادخل إلى «طلباتي» واختر المنتج ثم «إرجاع»، وستحصل على ملصق إرجاع مجاني تطبعه أو تعرضه في نقطة التسليم.
reply-refund-status = بمجرد وصول المرتجع إلى مستودعنا، نعيد إليك المبلغ خلال { $refund_days_min } إلى { $refund_days_max } { $refund_days_max ->
        [zero] يوم عمل
        [one] يوم عمل
        [two] يوم عمل
        [few] أيام عمل
        [many] يوم عمل
       *[other] يوم عمل
    } عبر وسيلة الدفع نفسها التي استخدمتها. قد يحتاج البنك إلى بضعة أيام إضافية حتى يظهر المبلغ في حسابك.
reply-cancel-order = يمكنك إلغاء الطلب من «طلباتي» ما دام لم يتم شحنه بعد. وإذا كان قد شُحن بالفعل، فما عليك إلا رفض استلامه أو إرجاعه مجانًا، وسنعيد إليك المبلغ.
reply-change-address = يمكنك تغيير عنوان التوصيل من «طلباتي» إلى أن يتم شحن الطلب. وإذا كان في الطريق إليك، فيمكنك إعادة توجيهه من صفحة التتبع لدى شركة الشحن.
reply-payment-methods = نقبل Visa وMastercard وAmerican Express وPayPal وApple Pay وGoogle Pay والتحويل البنكي. ويمكنك أيضًا الدفع بالتقسيط عبر Klarna في بعض الدول.
reply-payment-failed = نأسف لذلك! يُرجى التأكد من صحة بيانات البطاقة وعنوان الفوترة، ومن أن بطاقتك تسمح بالدفع عبر الإنترنت، وأنك أكملت التحقق 3-D Secure مع البنك. إذا استمرت المشكلة، فجرّب وسيلة دفع أخرى — لن يُخصم المبلغ مرتين.
reply-reset-password = لإعادة تعيين كلمة المرور، اضغط على «نسيت كلمة المرور؟» في صفحة تسجيل الدخول وأدخل بريدك الإلكتروني. الرابط الذي نرسله صالح لمدة ساعة واحدة — إذا لم تجد الرسالة، فتحقق من مجلد البريد غير المرغوب فيه.
reply-delete-account = يمكنك حذف حسابك وبياناتك الشخصية من «إعدادات الحساب» ← «الخصوصية» ← «حذف حسابي». سنرسل لك تأكيدًا بالبريد الإلكتروني، وتُحذف بياناتك خلال 30 يومًا، باستثناء ما يُلزمنا القانون بالاحتفاظ به (مثل الفواتير).
reply-opening-hours = فريق الدعم متاح من الاثنين إلى السبت، من الساعة { $opens } حتى { $closes }. أما أنا فموجود على مدار الساعة لكل ما عدا ذلك.
reply-contact-info = يمكنك التواصل معنا هاتفيًا على { $phone } أو عبر البريد الإلكتروني { $email }. نرد عادةً على الرسائل خلال يوم عمل واحد.
reply-damaged-item = يؤسفني جدًا أن طلبك لم يصل كما ينبغي. سأحولك الآن إلى أحد زملائي ليحل المشكلة — يُرجى الاحتفاظ بالمنتج والتغليف.
reply-complaint = نعتذر لأننا خيبنا ظنك، وشكرًا لأنك أخبرتنا. إذا رغبت، يمكن لأحد أعضاء فريقنا متابعة الأمر معك شخصيًا.
reply-human-agent = بالتأكيد — سأحولك الآن إلى أحد أعضاء فريقنا.
reply-language-help = أتحدث English وEspañol وFrançais وDeutsch وPortuguês وItaliano وNederlands وРусский وTürkçe والعربية وहिन्दी و中文 و日本語. اكتب بلغتك مباشرة، أو اختر لغة من قائمة اللغات.
