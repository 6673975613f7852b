# What the customer sees while a conversation goes to a person (the hand-off).

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] You're next in line — a member of our team will be with you shortly.
       *[other] You're number { $position } in line — a member of our team will be with you as soon as possible.
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] You're next in line.
       *[other] You're number { $position } in line.
    } The expected wait is about { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = { $agent } from our team has joined the conversation.
# The agent finished; the bot answers again.
handoff-ended = { $agent } has left the conversation. I'm here again if you need anything else.
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = Our colleague's connection dropped, sorry about that. You're back in line at number { $position }.
# An agent passed the conversation to another team's queue.
handoff-transferred = I'm passing your conversation to another colleague — you're number { $position } in line.
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = Our team is available from { $opens } to { $closes }, and it's outside those hours now. You can keep chatting with me, or write to { $email } and we'll answer as soon as we're back.
# The hand-off system itself is down.
handoff-unavailable-error = I can't reach our team right now because of a technical problem. Please try again in a few minutes, or write to { $email }.
# Said to a customer who writes while waiting for a person, when the bot has no answer that
# fits (a greeting, thanks, "anyone there?", asking again). $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] You're still next in line.
       *[other] You're still number { $position } in line.
    } A colleague will join as soon as they can and will read everything you write here in the meantime.
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = You were away for a while, so your place in line was given up. Ask for a person again whenever you need one.
