# Canned replies (Japanese): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = お待たせいたしました。担当の{ $agent }です。ただいま確認いたします。
canned-order-number = 恐れ入りますが、ご注文番号を教えていただけますか？ご注文確認メールに記載されています。
canned-refund = 返金の手続きを開始いたしました。5～10営業日以内に、お支払いに使われた方法へ返金されます。
canned-checking = ありがとうございます。ただいま確認しております。1～2分ほどお待ちください。
canned-anything-else = ほかにお手伝いできることはございますか？
canned-goodbye = お問い合わせいただきありがとうございました。良い一日をお過ごしください。
