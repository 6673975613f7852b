# Answers to the intents of intents/catalog.toml (Japanese).
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.

reply-greeting = こんにちは！{ $shop_name }のアシスタントです。ご注文、配送、返品、お支払いについてお手伝いします。どのようなご用件でしょうか？
reply-goodbye = ご利用ありがとうございました。良い一日をお過ごしください！
reply-thanks = どういたしまして！ほかに何かお手伝いできることはありますか？
reply-order-status = ご注文の状況は、アカウントの「注文履歴」からご確認いただけます。追跡リンクは発送完了メールにも記載されています。注文番号を教えていただければ、ご案内いたします。
reply-order-status-known = ご注文{ $order }をお調べしますね。リアルタイムの配送状況は「注文履歴」→{ $order }でご確認いただけます。発送時にお送りしたメールにも追跡リンクを記載しています。2日以上動きがない場合は、担当者が配送業者に確認いたします。
reply-shipping-time = 通常配送は{ $standard_days_min }〜{ $standard_days_max }営業日でお届けします。午後2時までのご注文なら、お急ぎ便で{ $express_days }営業日でお届けします。
reply-shipping-cost = 通常配送の送料は€{ NUMBER($standard_shipping_cost, minimumFractionDigits: 2) }で、€{ NUMBER($free_shipping_threshold) }を超えるご注文は送料無料です。お急ぎ便の送料は€{ NUMBER($express_shipping_cost, minimumFractionDigits: 2) }です。
reply-return-item = 商品は{ $return_days }日以内でしたら、どれでも返品いただけます。「注文履歴」で商品を選んで「返品する」を押すと、無料の返品ラベルが発行されます。印刷するか、発送窓口で画面を提示してください。
reply-refund-status = 返品された商品が当社の倉庫に届いてから{ $refund_days_min }〜{ $refund_days_max }営業日以内に、お支払い時と同じ方法で返金いたします。銀行側で反映されるまで、さらに数日かかる場合があります。
reply-cancel-order = 発送前のご注文でしたら、「注文履歴」からキャンセルできます。すでに発送済みの場合は、受け取りを拒否するか無料で返品していただければ、返金いたします。
reply-change-address = お届け先住所は、発送前であれば「注文履歴」から変更できます。すでに配送中の場合は、配送業者の追跡ページから転送をご依頼ください。
reply-payment-methods = Visa、Mastercard、American Express、PayPal、Apple Pay、Google Pay、銀行振込がご利用いただけます。一部の国ではKlarnaによる分割払いも可能です。
reply-payment-failed = ご不便をおかけして申し訳ありません。カード情報と請求先住所が正しいか、カードがオンライン決済に対応しているか、カード会社の3-Dセキュア認証を完了したかをご確認ください。それでも決済できない場合は、別のお支払い方法をお試しください。二重に請求されることはありません。
reply-reset-password = パスワードを再設定するには、ログイン画面の「パスワードをお忘れですか？」をクリックし、メールアドレスを入力してください。お送りするリンクの有効期限は1時間です。メールが見当たらない場合は、迷惑メールフォルダもご確認ください。
reply-delete-account = アカウントと個人データは、「アカウント設定」→「プライバシー」→「アカウントを削除」から削除できます。メールで確認のご連絡をした後、30日以内にデータを消去します。ただし、請求書など法律で保管が義務付けられているものは除きます。
reply-opening-hours = サポートチームの対応時間は、月曜〜土曜の{ $opens }〜{ $closes }です。それ以外のことでしたら、私が24時間いつでもお手伝いします。
reply-contact-info = お電話（{ $phone }）またはメール（{ $email }）でお問い合わせいただけます。メールには通常1営業日以内にご返信しています。
reply-damaged-item = ご注文の商品が正しい状態で届かず、大変申し訳ございません。担当者におつなぎしますので、商品と梱包材はそのまま保管しておいてください。
reply-complaint = ご期待に添えず申し訳ございません。お知らせいただきありがとうございます。よろしければ、担当スタッフが直接確認いたします。
reply-human-agent = かしこまりました。担当スタッフにおつなぎします。
reply-language-help = English、Español、Français、Deutsch、Português、Italiano、Nederlands、Русский、Türkçe、العربية、हिन्दी、中文、日本語に対応しています。ご自分の言語でそのまま入力するか、言語メニューから選んでください。
