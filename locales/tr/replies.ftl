# Turkish answers to the intents of intents/catalog.toml.
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.
# No case suffixes on variables (vowel harmony depends on the value).

reply-greeting = Merhaba! Ben { $shop_name } asistanıyım. Siparişler, teslimat, iadeler ve ödemeler konusunda yardımcı olabilirim. Size nasıl yardımcı olabilirim?
reply-goodbye = Bizimle yazıştığınız için teşekkürler. İyi günler dileriz!
reply-thanks = Rica ederim! Yardımcı olabileceğim başka bir konu var mı?
reply-order-status = Siparişinizi hesabınızdaki "Siparişlerim" bölümünden takip edebilirsiniz; kargo takip bağlantısı, gönderim onayı e-postanızda da yer alıyor. Sipariş numaranızı yazarsanız size yol gösterebilirim.
reply-order-status-known = { $order } numaralı siparişinize bakalım. Anlık kargo takibini "Siparişlerim" → { $order } altında bulabilirsiniz; takip bağlantısı, siparişiniz kargoya verildiğinde e-postayla da gönderildi. 2 günden uzun süredir hareket yoksa bir çalışma arkadaşım kargo firmasıyla kontrol edebilir.
reply-shipping-time = Standart teslimat { $standard_days_min }–{ $standard_days_max } iş günü sürer. Saat 14.00'ten önce verilen siparişler, ekspres teslimatla { $express_days ->
        [one] { $express_days } iş günü
       *[other] { $express_days } iş günü
    } içinde elinizde olur.
reply-shipping-cost = Standart teslimat ücreti { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } €; { NUMBER($free_shipping_threshold) } € üzeri siparişlerde kargo ücretsiz. Ekspres teslimat ise { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Tüm ürünleri { $return_days } gün içinde iade edebilirsiniz. "Siparişlerim" bölümünde ürünü seçip "İade et" butonuna tıklayın; yazdırabileceğiniz ya da teslim noktasında gösterebileceğiniz ücretsiz bir iade etiketi alırsınız.
reply-refund-status = İade ettiğiniz ürün depomuza ulaştıktan sonra tutarı { $refund_days_min }–{ $refund_days_max } iş günü içinde, ödemede kullandığınız yönteme iade ederiz. Tutarın hesabınıza yansıması bankanıza bağlı olarak birkaç gün daha sürebilir.
reply-cancel-order = Siparişiniz kargoya verilmediği sürece "Siparişlerim" bölümünden iptal edebilirsiniz. Kargoya verildiyse teslimatı reddetmeniz ya da ürünü ücretsiz iade etmeniz yeterli; ödemenizi iade ederiz.
reply-change-address = Siparişiniz kargoya verilene kadar teslimat adresini "Siparişlerim" bölümünden değiştirebilirsiniz. Sipariş yola çıktıysa kargo firmasının takip sayfasından teslimatı başka adrese yönlendirebilirsiniz.
reply-payment-methods = Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay ve banka havalesiyle ödeme kabul ediyoruz. Bazı ülkelerde Klarna ile taksitli ödeme de yapabilirsiniz.
reply-payment-failed = Bunun için üzgünüm! Lütfen kart bilgilerinizin ve fatura adresinizin doğru olduğunu, kartınızın internet alışverişine açık olduğunu ve bankanızın 3-D Secure doğrulamasını tamamladığınızı kontrol edin. Sorun devam ederse başka bir ödeme yöntemi deneyin; sizden iki kez ücret alınmaz.
reply-reset-password = Şifrenizi sıfırlamak için giriş sayfasındaki "Şifremi unuttum" bağlantısına tıklayıp e-posta adresinizi girin. Gönderdiğimiz bağlantı 1 saat geçerlidir; e-postayı göremiyorsanız spam klasörünüze de bakın.
reply-delete-account = Hesabınızı ve kişisel verilerinizi "Hesap ayarları" → "Gizlilik" → "Hesabımı sil" adımlarıyla silebilirsiniz. İşlemi e-postayla onaylarız; yasal olarak saklamamız gerekenler (faturalar gibi) dışındaki tüm verileriniz 30 gün içinde silinir.
reply-opening-hours = Destek ekibimiz pazartesiden cumartesiye { $opens }–{ $closes } saatleri arasında hizmet veriyor. Diğer her konuda ben 7/24 buradayım.
reply-contact-info = Bize { $phone } numaralı telefondan ya da { $email } adresinden ulaşabilirsiniz. E-postaları genellikle bir iş günü içinde yanıtlıyoruz.
reply-damaged-item = Siparişiniz olması gerektiği gibi ulaşmadığı için çok üzgünüm. Sizi konuyu çözecek bir çalışma arkadaşıma bağlıyorum; lütfen ürünü ve ambalajını saklayın.
reply-complaint = Sizi hayal kırıklığına uğrattığımız için özür dileriz, bize bildirdiğiniz için de teşekkür ederiz. İsterseniz ekibimizden biri konuyla bizzat ilgilenebilir.
reply-human-agent = Tabii ki, sizi hemen ekibimizden birine bağlıyorum.
reply-language-help = English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 ve 日本語 konuşabiliyorum. Kendi dilinizde yazmanız yeterli; dilerseniz dil menüsünden de seçebilirsiniz.
