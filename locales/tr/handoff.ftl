# What the customer sees while a conversation goes to a person (the hand-off), Turkish.
# No case suffixes on variables; "{ $position }." is the ordinal ("3. sıradasınız").

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Sıradaki sizsiniz; ekibimizden biri birazdan sizinle olacak.
       *[other] { $position }. sıradasınız; ekibimizden biri en kısa sürede sizinle ilgilenecek.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Sıradaki sizsiniz.
       *[other] { $position }. sıradasınız.
    } Tahmini bekleme süresi yaklaşık { $minutes ->
        [one] { $minutes } dakika
       *[other] { $minutes } dakika
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = Ekibimizden { $agent } görüşmeye katıldı.
# The agent finished; the bot answers again.
handoff-ended = { $agent } görüşmeden ayrıldı. Başka bir konuda yardıma ihtiyacınız olursa ben yine buradayım.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Çalışma arkadaşımın bağlantısı koptu, bunun için özür dileriz. Yeniden sıraya alındınız; şu anda { $position }. sıradasınız.
# An agent passed the conversation to another team's queue.
handoff-transferred = Görüşmenizi başka bir ekipten çalışma arkadaşıma aktarıyorum; { $position }. sıradasınız.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Ekibimiz { $opens }–{ $closes } saatleri arasında hizmet veriyor; şu anda bu saatlerin dışındayız. Benimle yazışmaya devam edebilir ya da { $email } adresine yazabilirsiniz; mesai başlar başlamaz yanıt veririz.
# The hand-off system itself is down.
handoff-unavailable-error = Teknik bir sorun nedeniyle şu anda ekibimize ulaşamıyorum. Lütfen birkaç dakika sonra tekrar deneyin ya da { $email } adresine yazın.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Hâlâ sıradaki sizsiniz.
       *[other] Hâlâ { $position }. sıradasınız.
    } Ekibimizden biri en kısa sürede sizinle ilgilenecek ve bu arada buraya yazdığınız her şeyi okuyacak.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Bir süre ayrıldığınız için sıradaki yeriniz boşaltıldı. İhtiyacınız olduğunda yeniden bir temsilciyle görüşmek isteyebilirsiniz.
