# What the customer sees while a conversation goes to a person (the hand-off), Simplified Chinese.
# Chinese has only the "other" plural category, so $minutes needs no selector.

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] 下一位就是您了，我们团队的同事马上为您服务。
       *[other] 您目前排在第{ $position }位，我们团队的同事会尽快为您服务。
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] 下一位就是您了。
       *[other] 您目前排在第{ $position }位。
    }预计需要等待约{ $minutes }分钟。
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = 我们团队的{ $agent }已加入对话，将为您服务。
# The agent finished; the bot answers again.
handoff-ended = { $agent }已离开对话。如果还有其他需要，随时找我就好。
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = 抱歉，我们同事的连接中断了。已为您重新排队，您目前排在第{ $position }位。
# An agent passed the conversation to another team's queue.
handoff-transferred = 正在为您转接其他团队的同事——您目前排在第{ $position }位。
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = 我们团队的服务时间为{ $opens }至{ $closes }，现在不在服务时间内。您可以继续和我聊，或发送邮件至{ $email }，我们上班后会尽快回复您。
# The hand-off system itself is down.
handoff-unavailable-error = 由于技术问题，暂时无法为您转接人工客服。请过几分钟再试，或发送邮件至{ $email }。
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] 下一位仍然是您。
       *[other] 您目前仍排在第{ $position }位。
    }我们团队的同事会尽快为您服务，并会阅读您在此期间写下的所有内容。
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = 您离开了一段时间，因此您的排队位置已被释放。需要时请再次要求转接人工客服。
