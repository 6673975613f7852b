# What the customer sees while a conversation goes to a person (the hand-off) (French).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] C'est bientôt votre tour : un membre de notre équipe va vous répondre dans un instant.
       *[other] Vous êtes en position { $position } dans la file d'attente : un membre de notre équipe vous répondra dès que possible.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] C'est bientôt votre tour.
       *[other] Vous êtes en position { $position } dans la file d'attente.
    } L'attente est estimée à environ { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent }, de notre équipe, a rejoint la conversation.
# The agent finished; the bot answers again.
handoff-ended = { $agent } a quitté la conversation. Je suis de nouveau là si vous avez besoin d'autre chose.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Désolé, la connexion avec notre collègue a été interrompue. Vous êtes de nouveau dans la file d'attente, en position { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = Je transfère votre conversation à un collègue d'une autre équipe : vous êtes en position { $position } dans la file d'attente.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Notre équipe est disponible de { $opens } à { $closes }, et nous sommes actuellement en dehors de ces horaires. Vous pouvez continuer à discuter avec moi, ou écrire à { $email } : nous vous répondrons dès notre retour.
# The hand-off system itself is down.
handoff-unavailable-error = Je n'arrive pas à joindre notre équipe pour le moment en raison d'un problème technique. Veuillez réessayer dans quelques minutes, ou écrire à { $email }.
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] Vous êtes toujours le prochain dans la file d'attente.
       *[other] Vous êtes toujours en position { $position } dans la file d'attente.
    } Un membre de notre équipe vous répondra dès que possible et lira tout ce que vous écrivez ici en attendant.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = Vous vous êtes absenté un moment, votre place dans la file d'attente a donc été libérée. Redemandez à parler à quelqu'un dès que vous en avez besoin.
