# What the bot says outside the intents' answers (Japanese).

# When no intent matched confidently.
fallback = すみません、うまく理解できませんでした。別の言い方で教えていただけますか？次のようなことをお手伝いできます：
# After two fallbacks in a row: offer a person.
fallback-offer-human = お力になれず申し訳ありません。スタッフにおつなぎしましょうか？
# Shown when nobody can take a hand-off right now.
handoff-unavailable = ただいま対応できるスタッフがおりません。このまま私とお話しいただくか、{ $email }までメールをお送りください。1営業日以内にご返信します。

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = こんにちは
suggest-order-status = 注文はどこ？
suggest-shipping-time = お届け日数
suggest-shipping-cost = 送料
suggest-return-item = 返品する
suggest-refund-status = 返金について
suggest-cancel-order = 注文をキャンセル
suggest-change-address = 住所を変更
suggest-payment-methods = お支払い方法
suggest-payment-failed = 決済のトラブル
suggest-reset-password = パスワード再設定
suggest-delete-account = アカウント削除
suggest-opening-hours = 対応時間
suggest-contact-info = お問い合わせ先
suggest-damaged-item = 破損・不良品
suggest-human-agent = スタッフと話す
