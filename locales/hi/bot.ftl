# What the bot says outside the intents' answers (Hindi).

# When no intent matched confidently.
fallback = माफ़ कीजिए, मैं ठीक से समझ नहीं पाया। क्या आप इसे दूसरे शब्दों में लिख सकते हैं? इन चीज़ों में मैं आपकी मदद कर सकता हूँ:
# After two fallbacks in a row: offer a person.
fallback-offer-human = माफ़ कीजिए, इसमें मैं आपकी मदद नहीं कर पा रहा हूँ। क्या आप हमारी टीम के किसी सदस्य से बात करना चाहेंगे?
# Shown when nobody can take a hand-off right now.
handoff-unavailable = इस समय हमारा कोई सहकर्मी उपलब्ध नहीं है। आप मुझसे बात जारी रख सकते हैं, या { $email } पर लिखें — हम एक कार्यदिवस के अंदर जवाब देंगे।

# Quick-reply labels, one per intent that can be suggested.
suggest-greeting = नमस्ते
suggest-order-status = मेरा ऑर्डर कहाँ है?
suggest-shipping-time = डिलीवरी का समय
suggest-shipping-cost = शिपिंग चार्ज
suggest-return-item = सामान लौटाएँ
suggest-refund-status = मेरा रिफंड
suggest-cancel-order = ऑर्डर कैंसल करें
suggest-change-address = पता बदलें
suggest-payment-methods = पेमेंट के तरीके
suggest-payment-failed = पेमेंट में समस्या
suggest-reset-password = पासवर्ड रीसेट करें
suggest-delete-account = अकाउंट डिलीट करें
suggest-opening-hours = सपोर्ट का समय
suggest-contact-info = संपर्क करें
suggest-damaged-item = खराब या टूटा सामान
suggest-human-agent = किसी इंसान से बात करें
