# What the bot says outside the intents' answers (Turkish).

# When no intent matched confidently.
fallback = Üzgünüm, tam olarak anlayamadım. Başka bir şekilde yazabilir misiniz? Yardımcı olabileceğim bazı konular:
# After two fallbacks in a row: offer a person.
fallback-offer-human = Üzgünüm, bu konuda yardımcı olamıyorum. Ekibimizden biriyle görüşmek ister misiniz?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = Şu anda müsait bir çalışma arkadaşımız yok. Benimle yazışmaya devam edebilir ya da { $email } adresine yazabilirsiniz; bir iş günü içinde yanıt veririz.

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = Merhaba
suggest-order-status = Siparişim nerede?
suggest-shipping-time = Teslimat süreleri
suggest-shipping-cost = Kargo ücretleri
suggest-return-item = Ürün iadesi
suggest-refund-status = Para iadem
suggest-cancel-order = Siparişi iptal et
suggest-change-address = Adres değiştir
suggest-payment-methods = Ödeme yöntemleri
suggest-payment-failed = Ödeme sorunu
suggest-reset-password = Şifre sıfırlama
suggest-delete-account = Hesabımı sil
suggest-opening-hours = Çalışma saatleri
suggest-contact-info = Bize ulaşın
suggest-damaged-item = Hasarlı ürün
suggest-human-agent = Temsilciyle görüş
