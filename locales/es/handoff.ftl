# What the customer sees while a conversation goes to a person (the hand-off) (Spanish).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Estás en el primer puesto de la cola: una persona de nuestro equipo te atenderá enseguida.
       *[other] Estás en el puesto { $position } de la cola: una persona de nuestro equipo te atenderá lo antes posible.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Estás en el primer puesto de la cola.
       *[other] Estás en el puesto { $position } de la cola.
    } La espera estimada es de aproximadamente { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent }, de nuestro equipo, se ha unido a la conversación.
# The agent finished; the bot answers again.
handoff-ended = { $agent } ha salido de la conversación. Si necesitas algo más, vuelvo a estar aquí para ayudarte.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Perdona, se ha cortado la conexión con nuestro compañero. Vuelves a estar en la cola, en el puesto { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Te paso con un compañero de otro equipo: estás en el puesto { $position } de la cola.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Nuestro equipo atiende de { $opens } a { $closes }, y ahora mismo estamos fuera de ese horario. Puedes seguir hablando conmigo o escribir a { $email } y te responderemos en cuanto volvamos.
# The hand-off system itself is down.
handoff-unavailable-error = Ahora mismo no puedo contactar con nuestro equipo por un problema técnico. Inténtalo de nuevo en unos minutos o escribe a { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Sigues en el primer puesto de la cola.
       *[other] Sigues en el puesto { $position } de la cola.
    } Una persona de nuestro equipo te atenderá en cuanto pueda y leerá todo lo que escribas aquí mientras tanto.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Estuviste ausente un rato, así que perdiste tu puesto en la cola. Vuelve a pedir hablar con una persona cuando lo necesites.
