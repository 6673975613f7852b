# What the customer sees while a conversation goes to a person (the hand-off), Russian.
# Plurals: one/few/many/other. Past tenses avoided where they would need the agent's gender.

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Ваша очередь следующая — сотрудник нашей команды скоро подключится.
       *[other] Ваш номер в очереди — { $position }. Сотрудник нашей команды подключится как можно скорее.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Ваша очередь следующая.
       *[other] Ваш номер в очереди — { $position }.
    } Примерное время ожидания — { $minutes ->
        [one] { $minutes } минута
        [few] { $minutes } минуты
        [many] { $minutes } минут
       *[other] { $minutes } минуты
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = С вами на связи { $agent } из нашей команды.
# The agent finished; the bot answers again.
handoff-ended = { $agent } завершает разговор. Если понадобится что-то ещё, я снова на связи.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Извините, связь с сотрудником прервалась. Вы снова в очереди, ваш номер — { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Передаю ваш вопрос коллеге из другого отдела — ваш номер в очереди: { $position }.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Наша команда работает с { $opens } до { $closes }, а сейчас нерабочее время. Можете продолжить общение со мной или написать на { $email } — мы ответим, как только вернёмся.
# The hand-off system itself is down.
handoff-unavailable-error = Из-за технической неполадки сейчас не получается соединить вас с нашей командой. Пожалуйста, попробуйте ещё раз через несколько минут или напишите на { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Ваша очередь по-прежнему следующая.
       *[other] Ваш номер в очереди по-прежнему { $position }.
    } Сотрудник нашей команды подключится как можно скорее и прочитает всё, что вы напишете здесь за это время.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Вас не было какое-то время, поэтому ваше место в очереди освободилось. Попросите соединить вас с сотрудником снова, когда понадобится.
