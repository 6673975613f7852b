# What the customer sees while a conversation goes to a person (the hand-off) (German).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Sie sind als Nächstes an der Reihe – gleich ist ein Mitglied unseres Teams für Sie da.
       *[other] Sie sind an Position { $position } in der Warteschlange – ein Mitglied unseres Teams ist so schnell wie möglich für Sie da.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Sie sind als Nächstes an der Reihe.
       *[other] Sie sind an Position { $position } in der Warteschlange.
    } Die voraussichtliche Wartezeit beträgt etwa { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent } aus unserem Team ist jetzt im Gespräch dabei.
# The agent finished; the bot answers again.
handoff-ended = { $agent } hat das Gespräch verlassen. Wenn Sie noch etwas brauchen, bin ich wieder für Sie da.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Entschuldigung, die Verbindung zu unserem Team ist abgebrochen. Sie sind wieder in der Warteschlange, an Position { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Ich leite Ihr Gespräch an einen Kollegen aus einem anderen Team weiter – Sie sind an Position { $position } in der Warteschlange.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Unser Team ist von { $opens } bis { $closes } für Sie da – im Moment ist leider niemand erreichbar. Sie können gern weiter mit mir chatten oder an { $email } schreiben; wir antworten, sobald wir wieder da sind.
# The hand-off system itself is down.
handoff-unavailable-error = Wegen eines technischen Problems kann ich unser Team gerade nicht erreichen. Bitte versuchen Sie es in ein paar Minuten noch einmal oder schreiben Sie an { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Sie sind weiterhin als Nächstes an der Reihe.
       *[other] Sie sind weiterhin an Position { $position } in der Warteschlange.
    } Ein Kollege ist so bald wie möglich für Sie da und liest alles, was Sie hier bis dahin schreiben.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Sie waren eine Weile nicht da, deshalb haben wir Ihren Platz in der Warteschlange freigegeben. Fragen Sie einfach wieder nach einem Mitarbeiter, wenn Sie einen brauchen.
