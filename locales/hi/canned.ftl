# Canned replies (Hindi): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = नमस्ते, मैं { $agent } हूँ। इंतज़ार के लिए धन्यवाद — आइए, इसे अभी देखते हैं।
canned-order-number = क्या आप कृपया अपना ऑर्डर नंबर बता सकते हैं? यह आपको ऑर्डर की पुष्टि वाले ईमेल में मिलेगा।
canned-refund = मैंने आपका रिफ़ंड शुरू कर दिया है। पैसे 5–10 कार्यदिवसों में आपके मूल भुगतान माध्यम में वापस आ जाएँगे।
canned-checking = धन्यवाद — इसकी जाँच अभी की जा रही है। इसमें एक-दो मिनट लगेंगे।
canned-anything-else = क्या आपकी किसी और चीज़ में मदद की जा सकती है?
canned-goodbye = हमसे संपर्क करने के लिए धन्यवाद। आपका दिन शुभ हो!
