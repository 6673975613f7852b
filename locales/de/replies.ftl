# German answers to the intents of intents/catalog.toml.
# Variables: see locales/en/replies.ftl and locales/shop.toml.

reply-greeting = Hallo! Ich bin der Assistent von { $shop_name }. Ich helfe Ihnen gern bei Bestellungen, Lieferungen, Rücksendungen und Zahlungen. Was kann ich für Sie tun?
reply-goodbye = Danke für Ihre Nachricht! Einen schönen Tag noch.
reply-thanks = Gern geschehen! Kann ich sonst noch etwas für Sie tun?
reply-order-status = Ihre Bestellung können Sie in Ihrem Kundenkonto unter „Meine Bestellungen“ verfolgen; den Tracking-Link finden Sie auch in der Versandbestätigung per E-Mail. Wenn Sie mir Ihre Bestellnummer nennen, zeige ich Ihnen, wo Sie sie finden.
reply-order-status-known = Ich sehe mir die Bestellung { $order } an. Die Live-Sendungsverfolgung finden Sie unter „Meine Bestellungen“ → { $order }; den Tracking-Link haben wir Ihnen außerdem beim Versand per E-Mail geschickt. Hat sich die Sendung seit mehr als 2 Tagen nicht bewegt, kann ein Kollege beim Versanddienstleister nachfragen.
reply-shipping-time = Die Standardlieferung dauert { $standard_days_min }–{ $standard_days_max } Werktage. Mit Express ist Ihre Bestellung innerhalb von { $express_days ->
        [one] { $express_days } Werktag
       *[other] { $express_days } Werktagen
    } bei Ihnen, wenn Sie vor 14 Uhr bestellen.
reply-shipping-cost = Der Standardversand kostet { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } € und ist bei Bestellungen über { NUMBER($free_shipping_threshold) } € kostenlos. Der Expressversand kostet { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Sie können jeden Artikel innerhalb von { $return_days } Tagen zurückgeben. Gehen Sie zu „Meine Bestellungen“, wählen Sie den Artikel aus und klicken Sie auf „Zurücksenden“ – Sie erhalten ein kostenloses Rücksendeetikett zum Ausdrucken oder zum Vorzeigen im Paketshop.
reply-refund-status = Sobald Ihre Rücksendung in unserem Lager eingetroffen ist, erstatten wir den Betrag innerhalb von { $refund_days_min }–{ $refund_days_max } Werktagen auf die Zahlungsart, mit der Sie bezahlt haben. Bis die Gutschrift auf Ihrem Konto sichtbar ist, kann Ihre Bank noch ein paar Tage brauchen.
reply-cancel-order = Solange Ihre Bestellung noch nicht versendet wurde, können Sie sie unter „Meine Bestellungen“ stornieren. Ist sie schon unterwegs, verweigern Sie einfach die Annahme oder senden Sie sie kostenlos zurück – wir erstatten Ihnen dann den Betrag.
reply-change-address = Bis zum Versand können Sie die Lieferadresse unter „Meine Bestellungen“ ändern. Ist das Paket schon unterwegs, können Sie es über die Sendungsverfolgung des Versanddienstleisters umleiten.
reply-payment-methods = Wir akzeptieren Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay und Überweisung. In einigen Ländern können Sie mit Klarna auch in Raten zahlen.
reply-payment-failed = Das tut mir leid! Bitte prüfen Sie, ob Ihre Kartendaten und Ihre Rechnungsadresse stimmen, ob Ihre Karte für Online-Zahlungen freigeschaltet ist und ob Sie die 3-D-Secure-Bestätigung Ihrer Bank abgeschlossen haben. Klappt es immer noch nicht, nutzen Sie eine andere Zahlungsart – es wird nichts doppelt abgebucht.
reply-reset-password = Um Ihr Passwort zurückzusetzen, klicken Sie auf der Anmeldeseite auf „Passwort vergessen?“ und geben Sie Ihre E-Mail-Adresse ein. Der Link, den wir Ihnen schicken, ist 1 Stunde gültig – schauen Sie auch im Spam-Ordner nach, falls Sie ihn nicht finden.
reply-delete-account = Ihr Konto und Ihre persönlichen Daten können Sie unter „Kontoeinstellungen“ → „Datenschutz“ → „Mein Konto löschen“ entfernen. Wir bestätigen das per E-Mail, und Ihre Daten werden innerhalb von 30 Tagen gelöscht – außer denen, die wir gesetzlich aufbewahren müssen (z. B. Rechnungen).
reply-opening-hours = Unser Support-Team ist montags bis samstags von { $opens } bis { $closes } für Sie da. Für alles andere bin ich rund um die Uhr erreichbar.
reply-contact-info = Sie erreichen uns telefonisch unter { $phone } oder per E-Mail an { $email }. E-Mails beantworten wir in der Regel innerhalb eines Werktags.
reply-damaged-item = Es tut mir sehr leid, dass Ihre Bestellung nicht so angekommen ist, wie sie sollte. Ich verbinde Sie mit einem Kollegen, der sich darum kümmert – bitte bewahren Sie den Artikel und die Verpackung auf.
reply-complaint = Es tut mir leid, dass wir Sie enttäuscht haben, und danke, dass Sie uns das sagen. Wenn Sie möchten, kümmert sich ein Mitglied unseres Teams persönlich darum.
reply-human-agent = Natürlich – ich verbinde Sie mit einem Mitglied unseres Teams.
reply-language-help = Ich spreche English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 und 日本語. Schreiben Sie einfach in Ihrer Sprache oder wählen Sie eine im Sprachmenü aus.
