# What the customer sees while a conversation goes to a person (the hand-off), Japanese.
# Japanese has only the "other" plural category, so $minutes needs no selector.

# Queued, no estimate yet. $position: 1 = next in line.
handoff-queued = { $position ->
        [1] 次がお客様の番です。まもなく担当スタッフがご対応いたします。
       *[other] 現在の順番は{ $position }番目です。担当スタッフができるだけ早くご対応いたします。
    }
# Queued, with an estimate in whole minutes ($minutes ≥ 1).
handoff-queued-wait = { $position ->
        [1] 次がお客様の番です。
       *[other] 現在の順番は{ $position }番目です。
    }待ち時間は約{ $minutes }分の見込みです。
# An agent took the conversation. $agent: the agent's name.
handoff-assigned = 担当スタッフの{ $agent }がチャットに参加しました。
# The agent finished; the bot answers again.
handoff-ended = { $agent }がチャットから退出しました。ほかにご用件があれば、引き続き私がお手伝いします。
# The agent's connection dropped; the conversation went back to the queue.
handoff-requeued = 申し訳ありません。担当スタッフとの接続が切れたため、順番待ちに戻りました。現在の順番は{ $position }番目です。
# An agent passed the conversation to another team's queue.
handoff-transferred = 別のチームの担当者におつなぎします。現在の順番は{ $position }番目です。
# Outside the team's hours ($opens, $closes are times).
handoff-unavailable-closed = サポートチームの対応時間は{ $opens }〜{ $closes }で、ただいまは対応時間外です。このまま私とお話しいただくか、{ $email }までメールをお送りください。対応時間になりしだい、ご返信いたします。
# The hand-off system itself is down.
handoff-unavailable-error = システムの不具合により、ただいまスタッフにおつなぎできません。数分後にもう一度お試しいただくか、{ $email }までメールをお送りください。
# Said to a customer who writes while waiting for a person. $position: 1 = next in line.
handoff-waiting = { $position ->
        [1] 引き続き、次がお客様の番です。
       *[other] 現在も{ $position }番目でお待ちいただいています。
    }担当スタッフができるだけ早くご対応し、それまでにここに書かれた内容もすべて拝見します。
# The customer was gone longer than the grace time: their place in the queue (or their
# agent) was released. They read it when they come back.
handoff-left = しばらく応答がなかったため、順番待ちを解除しました。担当者との会話が必要なときは、もう一度お申し付けください。
