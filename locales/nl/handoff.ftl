# What the customer sees while a conversation goes to a person (the hand-off) (Dutch).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Jij bent de volgende – iemand van ons team helpt je zo.
       *[other] Je bent nummer { $position } in de wachtrij – iemand van ons team helpt je zo snel mogelijk.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Jij bent de volgende.
       *[other] Je bent nummer { $position } in de wachtrij.
    } De verwachte wachttijd is ongeveer { $minutes ->
        [one] { $minutes } minuut
       *[other] { $minutes } minuten
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent } van ons team neemt het gesprek nu over.
# The agent finished; the bot answers again.
handoff-ended = { $agent } heeft het gesprek verlaten. Heb je nog iets anders nodig? Ik ben er weer voor je.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Sorry, de verbinding met onze collega is weggevallen. Je staat weer in de wachtrij, op nummer { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Ik verbind je door met een collega van een ander team – je bent nummer { $position } in de wachtrij.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Ons team is bereikbaar van { $opens } tot { $closes }, en op dit moment is dat buiten die tijden. Je kunt gewoon verder chatten met mij, of mail naar { $email }, dan antwoorden we zodra we er weer zijn.
# The hand-off system itself is down.
handoff-unavailable-error = Door een technisch probleem kan ik ons team op dit moment niet bereiken. Probeer het over een paar minuten nog eens, of mail naar { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Je bent nog steeds de volgende.
       *[other] Je bent nog steeds nummer { $position } in de wachtrij.
    } Iemand van ons team helpt je zo snel mogelijk en leest alles wat je hier intussen schrijft.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Je was een tijdje weg, dus je plek in de wachtrij is vrijgegeven. Vraag gerust opnieuw naar een medewerker als je die nodig hebt.
