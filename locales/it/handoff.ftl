# What the customer sees while a conversation goes to a person (the hand-off) (Italian).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Sei al primo posto in coda: una persona del nostro team ti risponderà a breve.
       *[other] Sei in posizione { $position } nella coda: una persona del nostro team ti risponderà il prima possibile.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Sei al primo posto in coda.
       *[other] Sei in posizione { $position } nella coda.
    } L'attesa stimata è di circa { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minuti
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent } del nostro team ha preso in carico la conversazione.
# The agent finished; the bot answers again.
handoff-ended = { $agent } ha lasciato la conversazione. Se ti serve altro, ci sono di nuovo io.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Ci scusiamo, la connessione con il nostro collega si è interrotta. Sei di nuovo in coda, in posizione { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Passo la tua conversazione a un collega di un altro team: sei in posizione { $position } nella coda.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Il nostro team è disponibile dalle { $opens } alle { $closes } e in questo momento siamo fuori orario. Puoi continuare a scrivermi oppure mandare un'email a { $email }: ti risponderemo appena torniamo.
# The hand-off system itself is down.
handoff-unavailable-error = Al momento non riesco a contattare il nostro team a causa di un problema tecnico. Riprova tra qualche minuto oppure scrivi a { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Sei ancora al primo posto in coda.
       *[other] Sei ancora in posizione { $position } nella coda.
    } Una persona del nostro team ti risponderà appena possibile e leggerà tutto quello che scrivi qui nel frattempo.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Sei stato via per un po', quindi il tuo posto in coda è stato liberato. Chiedi di nuovo di parlare con una persona quando ne hai bisogno.
