# Canned replies (Turkish): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Merhaba, ben { $agent }. Beklediğiniz için teşekkürler, hemen ilgileniyorum.
canned-order-number = Sipariş numaranızı paylaşabilir misiniz lütfen? Sipariş onay e-postanızda bulabilirsiniz.
canned-refund = İadenizi başlattım. Tutar, 5-10 iş günü içinde ödemeyi yaptığınız yönteme geri yatırılacak.
canned-checking = Teşekkürler, şu anda kontrol ediyorum. Bir iki dakika sürecek.
canned-anything-else = Size yardımcı olabileceğim başka bir konu var mı?
canned-goodbye = Bize ulaştığınız için teşekkürler. İyi günler dileriz!
