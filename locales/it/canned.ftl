# Canned replies (Italian): what agents send by a short name (canned-refund is /refund in the
# console), so an agent who reads this language poorly still sends approved words.
# $agent: the agent's name; the shop's facts (locales/shop.toml) are passed too.

canned-hello = Ciao, sono { $agent }. Grazie per l'attesa, ci guardo subito.
canned-order-number = Mi puoi dare il numero del tuo ordine, per favore? Lo trovi nell'e-mail di conferma dell'ordine.
canned-refund = Ho avviato il tuo rimborso. Il denaro tornerà sul metodo di pagamento originale entro 5-10 giorni lavorativi.
canned-checking = Grazie, sto controllando adesso. Ci vorrà un minuto o due.
canned-anything-else = Posso aiutarti in qualcos'altro?
canned-goodbye = Grazie per averci scritto. Buona giornata!
