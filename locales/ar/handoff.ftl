# What the customer sees while a conversation goes to a person (the hand-off), Arabic (right-to-left).
# Plurals: zero/one/two/few/many/other. Verbs with the agent as subject avoided (they would need the agent's gender).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] أنت التالي في قائمة الانتظار — سينضم إليك أحد أعضاء فريقنا قريبًا.
       *[other] ترتيبك في قائمة الانتظار هو { $position } — سينضم إليك أحد أعضاء فريقنا في أقرب وقت ممكن.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] أنت التالي في قائمة الانتظار.
       *[other] ترتيبك في قائمة الانتظار هو { $position }.
    } مدة الانتظار المتوقعة حوالي { $minutes ->
        [zero] { $minutes } دقيقة
        [one] دقيقة واحدة
        [two] دقيقتين
        [few] { $minutes } دقائق
        [many] { $minutes } دقيقة
       *[other] { $minutes } دقيقة
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = معك الآن { $agent } من فريقنا.
# The agent finished; the bot answers again.
handoff-ended = انتهت محادثتك مع { $agent }. أنا هنا من جديد إذا احتجت إلى أي شيء آخر.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = نعتذر، انقطع الاتصال بزميلنا. لقد عدت إلى قائمة الانتظار، وترتيبك الآن { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = سأحوّل محادثتك إلى أحد زملائي في فريق آخر — ترتيبك في قائمة الانتظار { $position }.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = فريقنا متاح من الساعة { $opens } حتى { $closes }، ونحن الآن خارج ساعات العمل. يمكنك مواصلة المحادثة معي، أو مراسلتنا على { $email } وسنرد عليك فور عودتنا.
# The hand-off system itself is down.
handoff-unavailable-error = لا أستطيع الوصول إلى فريقنا حاليًا بسبب مشكلة تقنية. يُرجى المحاولة مرة أخرى بعد بضع دقائق، أو مراسلتنا على { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] ما زلت التالي في قائمة الانتظار.
       *[other] ما زال ترتيبك في قائمة الانتظار { $position }.
    } سينضم إليك أحد زملائنا في أقرب وقت ممكن، وسيقرأ كل ما تكتبه هنا في هذه الأثناء.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = لقد غبت لبعض الوقت، لذا فقدت مكانك في قائمة الانتظار. اطلب التحدث إلى أحد زملائنا مرة أخرى متى احتجت إلى ذلك.
