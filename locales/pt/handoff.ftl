# What the customer sees while a conversation goes to a person (the hand-off) (Portuguese).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] Está em primeiro lugar na fila — um membro da nossa equipa vai falar consigo dentro de momentos.
       *[other] Está na posição { $position } da fila — um membro da nossa equipa vai falar consigo o mais brevemente possível.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] Está em primeiro lugar na fila.
       *[other] Está na posição { $position } da fila.
    } O tempo de espera previsto é de cerca de { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent }, da nossa equipa, juntou-se à conversa.
# The agent finished; the bot answers again.
handoff-ended = { $agent } saiu da conversa. Se precisar de mais alguma coisa, estou novamente por aqui.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Pedimos desculpa: a ligação com o nosso colega foi interrompida. Voltou à fila, na posição { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Vou passar a sua conversa a um colega de outra equipa — está na posição { $position } da fila.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = A nossa equipa está disponível das { $opens } às { $closes } e, neste momento, estamos fora desse horário. Pode continuar a conversar comigo ou escrever para { $email } e respondemos assim que voltarmos.
# The hand-off system itself is down.
handoff-unavailable-error = De momento, não consigo contactar a nossa equipa devido a um problema técnico. Tente novamente dentro de alguns minutos ou escreva para { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Continua em primeiro lugar na fila.
       *[other] Continua na posição { $position } da fila.
    } Um membro da nossa equipa vai falar consigo logo que possível e vai ler tudo o que escrever aqui entretanto.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Esteve ausente durante algum tempo, por isso perdeu o seu lugar na fila. Peça novamente para falar com uma pessoa sempre que precisar.
