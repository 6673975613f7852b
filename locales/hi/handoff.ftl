# What the customer sees while a conversation goes to a person (the hand-off), Hindi.
# Plurals: one/other. Verb forms that would need the agent's gender avoided.

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] अगला नंबर आपका है — हमारी टीम का एक सदस्य जल्द ही आपसे जुड़ेगा।
       *[other] कतार में आपका नंबर { $position } है — हमारी टीम का एक सदस्य जल्द से जल्द आपसे जुड़ेगा।
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] अगला नंबर आपका है।
       *[other] कतार में आपका नंबर { $position } है।
    } अनुमानित इंतज़ार लगभग { $minutes ->
        [one] { $minutes } मिनट
       *[other] { $minutes } मिनट
    } का है।
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = अब हमारी टीम से { $agent } आपके साथ बातचीत में हैं।
# The agent finished; the bot answers again.
handoff-ended = { $agent } ने बातचीत समाप्त कर दी है। किसी और चीज़ में मदद चाहिए, तो मैं फिर से यहाँ हूँ।
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = माफ़ कीजिए, हमारे सहकर्मी का कनेक्शन टूट गया। आप फिर से कतार में हैं — आपका नंबर { $position } है।
# An agent passed the conversation to another team's queue.
handoff-transferred = मैं आपकी बातचीत दूसरी टीम के एक सहकर्मी को भेज रहा हूँ — कतार में आपका नंबर { $position } है।
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = हमारी टीम { $opens } से { $closes } तक उपलब्ध रहती है, और अभी यह समय नहीं है। आप मुझसे बात जारी रख सकते हैं, या { $email } पर लिखें — टीम के लौटते ही हम जवाब देंगे।
# The hand-off system itself is down.
handoff-unavailable-error = तकनीकी समस्या की वजह से मैं अभी अपनी टीम से संपर्क नहीं कर पा रहा हूँ। कृपया कुछ मिनट बाद फिर कोशिश करें, या { $email } पर लिखें।
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] अगला नंबर अब भी आपका है।
       *[other] कतार में आपका नंबर अब भी { $position } है।
    } हमारी टीम का एक सदस्य जल्द से जल्द आपसे जुड़ेगा और तब तक आप यहाँ जो भी लिखेंगे, वह सब पढ़ेगा।
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = आप कुछ देर के लिए दूर थे, इसलिए कतार में आपकी जगह छोड़ दी गई। जब भी ज़रूरत हो, फिर से किसी व्यक्ति से बात करने के लिए कहें।
