# Italian answers to the intents of intents/catalog.toml.
# Variables: see locales/shop.toml; reply-order-status-known also gets $order.

reply-greeting = Ciao! Sono l'assistente di { $shop_name }. Posso aiutarti con ordini, spedizioni, resi e pagamenti. Cosa posso fare per te?
reply-goodbye = Grazie per averci scritto. Buona giornata!
reply-thanks = Figurati! Posso aiutarti in qualcos'altro?
reply-order-status = Puoi seguire il tuo ordine in «I miei ordini» nel tuo account; il link di tracciamento è anche nell'email di conferma della spedizione. Se mi scrivi il numero d'ordine, ti dico dove trovarlo.
reply-order-status-known = Vediamo l'ordine { $order }. Trovi il tracciamento in tempo reale in «I miei ordini» → { $order }; il link ti è stato inviato anche via email al momento della spedizione. Se è fermo da più di 2 giorni, un collega può verificare con il corriere.
reply-shipping-time = La spedizione standard richiede { $standard_days_min }–{ $standard_days_max } giorni lavorativi. Con la spedizione express arriva in { $express_days ->
        [one] { $express_days } giorno lavorativo
       *[other] { $express_days } giorni lavorativi
    } se ordini entro le 14:00.
reply-shipping-cost = La spedizione standard costa { NUMBER($standard_shipping_cost, minimumFractionDigits: 2) } € ed è gratuita per ordini superiori a { NUMBER($free_shipping_threshold) } €. La spedizione express costa { NUMBER($express_shipping_cost, minimumFractionDigits: 2) } €.
reply-return-item = Puoi restituire qualsiasi articolo entro { $return_days } giorni. Vai su «I miei ordini», scegli l'articolo e seleziona «Restituisci»: riceverai un'etichetta di reso gratuita da stampare o da mostrare al punto di consegna.
reply-refund-status = Quando il reso arriva al nostro magazzino, ti rimborsiamo entro { $refund_days_min }–{ $refund_days_max } giorni lavorativi sullo stesso metodo di pagamento che hai usato. La tua banca potrebbe impiegare qualche giorno in più per mostrarlo.
reply-cancel-order = Puoi annullare un ordine in «I miei ordini» finché non è stato spedito. Se è già partito, basta rifiutare la consegna o restituirlo gratuitamente e ti rimborseremo.
reply-change-address = Puoi cambiare l'indirizzo di consegna in «I miei ordini» finché l'ordine non viene spedito. Se è già in viaggio, usa la pagina di tracciamento del corriere per reindirizzarlo.
reply-payment-methods = Accettiamo Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay e bonifico bancario. In alcuni paesi puoi anche pagare a rate con Klarna.
reply-payment-failed = Ci dispiace! Controlla che i dati della carta e l'indirizzo di fatturazione siano corretti, che la carta sia abilitata ai pagamenti online e di aver completato la verifica 3-D Secure con la tua banca. Se continua a non funzionare, prova un altro metodo di pagamento: l'importo non ti verrà addebitato due volte.
reply-reset-password = Per reimpostare la password, clicca su «Password dimenticata?» nella pagina di accesso e inserisci la tua email. Il link che ti inviamo è valido per 1 ora: se non lo trovi, controlla la cartella spam.
reply-delete-account = Puoi eliminare il tuo account e i tuoi dati personali in «Impostazioni account» → «Privacy» → «Elimina il mio account». Ti mandiamo una conferma via email e i tuoi dati vengono cancellati entro 30 giorni, tranne quelli che la legge ci obbliga a conservare (come le fatture).
reply-opening-hours = Il nostro servizio clienti è disponibile dal lunedì al sabato, dalle { $opens } alle { $closes }. Per tutto il resto ci sono io, a qualsiasi ora.
reply-contact-info = Puoi chiamarci al numero { $phone } o scriverci a { $email }. Di solito rispondiamo alle email entro un giorno lavorativo.
reply-damaged-item = Mi dispiace davvero che il tuo ordine non sia arrivato come doveva. Ti metto in contatto con un collega che risolverà il problema: nel frattempo conserva l'articolo e l'imballaggio.
reply-complaint = Ci dispiace non essere stati all'altezza, e grazie per avercelo segnalato. Se vuoi, una persona del nostro team può occuparsene personalmente.
reply-human-agent = Certo! Ti metto in contatto con una persona del nostro team.
reply-language-help = Parlo English, Español, Français, Deutsch, Português, Italiano, Nederlands, Русский, Türkçe, العربية, हिन्दी, 中文 e 日本語. Scrivimi nella tua lingua oppure scegline una dal menu delle lingue.
