//! The customer channel of protocol §1, end to end.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

/// (locale, a customer asking where their order is, in that language)
const WHERE_IS_MY_ORDER: &[(&str, &str)] = &[
    (
        "en",
        "Could you tell me where my parcel is? I ordered it last week.",
    ),
    (
        "es",
        "¿Me podéis decir dónde está mi paquete? Lo pedí la semana pasada.",
    ),
    (
        "fr",
        "Pouvez-vous me dire où est mon colis ? Je l'ai commandé la semaine dernière.",
    ),
    (
        "de",
        "Können Sie mir sagen, wo mein Paket ist? Ich habe letzte Woche bestellt.",
    ),
    (
        "pt",
        "Podem dizer-me onde está a minha encomenda? Fiz o pedido na semana passada.",
    ),
    (
        "it",
        "Potete dirmi dov'è il mio pacco? L'ho ordinato la settimana scorsa.",
    ),
    (
        "nl",
        "Kunnen jullie me vertellen waar mijn pakket is? Ik heb vorige week besteld.",
    ),
    (
        "ru",
        "Подскажите, где мой заказ? Я оформил его на прошлой неделе.",
    ),
    (
        "tr",
        "Siparişim nerede acaba? Geçen hafta sipariş vermiştim.",
    ),
    ("ar", "أين طلبي؟ طلبته الأسبوع الماضي ولم يصل"),
    ("hi", "मेरा ऑर्डर कहाँ है? मैंने पिछले हफ्ते ऑर्डर किया था।"),
    ("zh", "我的包裹到哪里了？上周下的单。"),
    ("ja", "注文した荷物はどこにありますか？先週注文しました。"),
];

#[tokio::test]
async fn every_locale_gets_a_localized_answer_to_its_question() {
    let app = spawn_app().await;
    let mut wrong = Vec::new();
    for (locale, text) in WHERE_IS_MY_ORDER {
        let (mut client, welcome) = app.hello(&[locale]).await;
        assert_eq!(welcome["locale"], *locale);
        assert_eq!(welcome["resumed"], false);
        assert_eq!(welcome["last_seq"], 0);
        let (ack, reply, _) = client.say("m1", text).await;
        assert_eq!(ack["seq"], 1);
        assert_eq!(reply["seq"], 2);
        assert_eq!(reply["locale"], *locale, "{reply}");
        assert!(reply["confidence"].as_f64().unwrap() > 0.0);
        assert!(reply["text"].as_str().unwrap().len() > 20);
        assert!(reply["content_version"].is_string());
        if reply["intent"] != "order_status" {
            wrong.push(format!("{locale}: {}", reply["intent"]));
        }
    }
    assert!(
        wrong.is_empty(),
        "not understood as order_status: {wrong:?}"
    );
}

#[tokio::test]
async fn regional_browser_languages_negotiate_to_the_nearest_locale() {
    let app = spawn_app().await;
    for (browser, expected) in [
        (vec!["es-MX", "en"], "es"),
        (vec!["pt-BR"], "pt"),
        (vec!["zh-TW"], "zh"),
        (vec!["en-GB"], "en"),
        (vec!["pl", "sv"], "en"),
        (vec![], "en"),
    ] {
        let (_, welcome) = app.hello(&browser).await;
        assert_eq!(welcome["locale"], expected, "{browser:?}");
    }
}

#[tokio::test]
async fn a_short_message_does_not_flip_the_conversation_language() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&[]).await;
    let (_, reply, _) = client
        .say(
            "1",
            "Hola, quiero devolver unas zapatillas que me quedan pequeñas",
        )
        .await;
    assert_eq!(reply["locale"], "es");
    assert_eq!(reply["intent"], "return_item");
    for (id, text) in [("2", "thanks"), ("3", "merci"), ("4", "ok danke")] {
        let (_, reply, _) = client.say(id, text).await;
        assert_eq!(reply["locale"], "es", "{text}: {reply}");
    }
}

#[tokio::test]
async fn a_reliable_sentence_in_another_language_switches_it() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let (_, reply, _) = client
        .say(
            "1",
            "Bonjour, je voudrais savoir combien coûte la livraison en France",
        )
        .await;
    assert_eq!(reply["locale"], "fr");
    assert_eq!(reply["intent"], "shipping_cost");
}

#[tokio::test]
async fn an_unsupported_language_is_answered_in_the_negotiated_locale() {
    let app = spawn_app().await;
    let polish = "Dzień dobry, chciałbym zwrócić zamówienie, które przyszło wczoraj";
    let (mut client, _) = app.hello(&["pl", "de"]).await;
    let (_, reply, _) = client.say("1", polish).await;
    assert_eq!(reply["locale"], "de", "{reply}");
    let (mut client, _) = app.hello(&[]).await;
    let swedish = "Hej, jag vill gärna returnera min beställning som kom igår";
    let (_, reply, _) = client.say("1", swedish).await;
    assert_eq!(reply["locale"], "en", "{reply}");
}

#[tokio::test]
async fn an_explicit_locale_sticks() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    client
        .send(json!({"type": "locale", "locale": "de-AT"}))
        .await;
    let (_, reply, _) = client
        .say("1", "I would like to know how much the shipping costs are")
        .await;
    assert_eq!(reply["locale"], "de");
    assert_eq!(reply["intent"], "shipping_cost");
    client.send(json!({"type": "locale", "locale": "pl"})).await;
    let error = client.expect_error("unsupported").await;
    assert!(error["message"].as_str().unwrap().contains("pl"));
}

#[tokio::test]
async fn an_order_number_reaches_the_answer() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let (_, reply, _) = client.say("1", "where is my order 48213377?").await;
    assert_eq!(reply["intent"], "order_status");
    assert!(
        reply["text"].as_str().unwrap().contains("48213377"),
        "{reply}"
    );
}

#[tokio::test]
async fn numbers_are_formatted_for_the_locale() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["de"]).await;
    let (_, reply, _) = client.say("1", "Was kosten die Versandkosten?").await;
    assert_eq!(reply["intent"], "shipping_cost");
    assert!(reply["text"].as_str().unwrap().contains("4,95"), "{reply}");
}

#[tokio::test]
async fn a_suggestion_payload_names_the_intent() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["fr"]).await;
    let (_, greeting, _) = client.say("1", "bonjour").await;
    let suggestion = &greeting["suggestions"][0];
    assert!(suggestion["text"].as_str().is_some_and(|t| !t.is_empty()));
    client
        .send(json!({"type": "message", "id": "2", "text": suggestion["text"], "payload": suggestion["payload"]}))
        .await;
    let (_, reply, _) = client.ack_and_reply("2").await;
    assert_eq!(reply["intent"], suggestion["payload"]);
    assert_eq!(reply["confidence"], 1.0);
    assert_eq!(reply["locale"], "fr");
}

#[tokio::test]
async fn two_fallbacks_in_a_row_offer_a_human() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let (_, first, _) = client.say("1", "zxqv blorp").await;
    assert!(first["intent"].is_null(), "{first}");
    assert!(first["suggestions"].as_array().unwrap().len() > 1);
    let (_, second, _) = client.say("2", "flurbo wibble").await;
    assert!(second["intent"].is_null(), "{second}");
    let suggestions = second["suggestions"].as_array().unwrap();
    assert_eq!(suggestions.len(), 1, "{second}");
    assert_eq!(suggestions[0]["payload"], "human_agent");
    assert_ne!(first["text"], second["text"]);
}

#[tokio::test]
async fn asking_for_a_human_answers_and_says_nobody_is_available_yet() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["es"]).await;
    let (ack, reply, others) = client.say("1", "quiero hablar con una persona").await;
    assert_eq!(reply["intent"], "human_agent");
    let handoff = if others.is_empty() {
        client.recv().await
    } else {
        others[0].clone()
    };
    assert_eq!(handoff["type"], "handoff");
    assert_eq!(handoff["state"], "unavailable");
    assert_eq!(handoff["seq"], 3);
    assert_eq!(ack["seq"], 1);
    assert!(handoff["text"]
        .as_str()
        .unwrap()
        .contains("help@northwind.example"));
    client.send(json!({"type": "handoff"})).await;
    let again = client.recv().await;
    assert_eq!(again["state"], "unavailable");
    assert_eq!(again["seq"], 4);
}

#[tokio::test]
async fn resume_replays_exactly_the_events_after_last_seq_and_takes_over() {
    let app = spawn_app().await;
    let (mut first, welcome) = app.hello(&["en"]).await;
    let (session, token) = (welcome["session"].clone(), welcome["token"].clone());
    assert!(token.as_str().unwrap().len() >= 32, "at least 128 bits");
    first.say("a", "how long does delivery take").await;
    let (_, second_reply, _) = first.say("b", "and what does shipping cost").await;
    assert_eq!(second_reply["seq"], 4);

    let mut again = app.connect().await;
    let welcome = again.resume(&session, &token, 2).await;
    assert_eq!(welcome["resumed"], true);
    assert_eq!(welcome["session"], session);
    assert_eq!(welcome["last_seq"], 4);
    let replay: Vec<_> = [again.recv().await, again.recv().await].into();
    assert_eq!(replay[0]["seq"], 3);
    assert_eq!(replay[0]["from"], "customer");
    assert_eq!(replay[0]["text"], "and what does shipping cost");
    assert_eq!(replay[1], second_reply);
    // The older connection is closed: the session has moved.
    assert_eq!(first.closed().await, Some(4001));
    // And the conversation goes on, seq continuing.
    let (ack, reply, _) = again.say("c", "thanks").await;
    assert_eq!(ack["seq"], 5);
    assert_eq!(reply["seq"], 6);
}

#[tokio::test]
async fn a_resent_message_is_acknowledged_again_but_never_answered_twice() {
    let app = spawn_app().await;
    let (mut client, welcome) = app.hello(&["en"]).await;
    let (ack, _, _) = client.say("m1", "can I pay with PayPal?").await;
    client
        .send(json!({"type": "message", "id": "m1", "text": "can I pay with PayPal?"}))
        .await;
    let again = client.recv().await;
    assert_eq!(again, ack, "same ack, same seq");
    // The next frames belong to the next message: no second answer to m1 came in between.
    let (ack2, reply2, others) = client.say("m2", "where is my refund").await;
    assert!(others.is_empty(), "{others:?}");
    assert_eq!(ack2["seq"], 3);
    assert_eq!(reply2["seq"], 4);
    // Also after a reconnect.
    let mut other = app.connect().await;
    let resumed = other
        .resume(&welcome["session"], &welcome["token"], 4)
        .await;
    assert_eq!(resumed["last_seq"], 4);
    other
        .send(json!({"type": "message", "id": "m2", "text": "where is my refund"}))
        .await;
    assert_eq!(other.recv().await, ack2);
}

#[tokio::test]
async fn a_wrong_resume_token_never_takes_a_session_over() {
    let app = spawn_app().await;
    let (mut owner, welcome) = app.hello(&["en"]).await;
    owner.say("1", "hello").await;
    let mut thief = app.connect().await;
    let refused = thief.resume(&welcome["session"], &json!("0000"), 0).await;
    assert_eq!(refused["code"], "unauthorized", "{refused}");
    let fresh = thief.recv().await;
    assert_eq!(fresh["type"], "welcome");
    assert_eq!(fresh["resumed"], false);
    assert_ne!(fresh["session"], welcome["session"]);
    assert_eq!(fresh["last_seq"], 0);
    // The owner still holds the session and goes on.
    let (ack, _, _) = owner.say("2", "thanks").await;
    assert_eq!(ack["seq"], 3);
}

#[tokio::test]
async fn an_unknown_session_is_reported_expired_and_a_new_one_starts() {
    let app = spawn_app().await;
    let mut client = app.connect().await;
    let refused = client.resume(&json!("gone"), &json!("x"), 3).await;
    assert_eq!(refused["code"], "session_expired", "{refused}");
    let welcome = client.recv().await;
    assert_eq!(welcome["resumed"], false);
}

#[tokio::test]
async fn close_ends_the_conversation() {
    let app = spawn_app().await;
    let (mut client, welcome) = app.hello(&["en"]).await;
    client.send(json!({"type": "close"})).await;
    assert_eq!(client.closed().await, Some(1000));
    let mut again = app.connect().await;
    let refused = again
        .resume(&welcome["session"], &welcome["token"], 0)
        .await;
    assert_eq!(refused["code"], "session_expired", "{refused}");
}

#[tokio::test]
async fn idle_sessions_expire_after_the_configured_time() {
    let app = spawn_app_with(|c| c.session_idle_timeout_s = 1).await;
    let (mut client, welcome) = app.hello(&["en"]).await;
    // The gateway itself closes the idle connection: an event, not a guess at timing.
    assert_eq!(client.closed().await, Some(4002));
    let mut again = app.connect().await;
    // The connection closed after the full idle time, so the session is past it too.
    let refused = again
        .resume(&welcome["session"], &welcome["token"], 0)
        .await;
    assert_eq!(refused["code"], "session_expired", "{refused}");
}

#[tokio::test]
async fn shutdown_asks_clients_to_reconnect() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    app.shutdown.cancel();
    assert_eq!(client.closed().await, Some(1012));
    app.stopped.await.unwrap().unwrap();
}

#[tokio::test]
async fn typos_and_missing_accents_are_understood() {
    let app = spawn_app().await;
    for (locale, text, intent) in [
        (
            "es",
            "donde esta mi pedidoo, lo pedi hace dias",
            "order_status",
        ),
        ("fr", "je voudrais retourner un artcle", "return_item"),
        ("de", "wie hoch sind die versandkostn", "shipping_cost"),
        ("tr", "sifremi unuttum giris yapamiyorum", "reset_password"),
        (
            "en",
            "i forgot my pasword and cant log in",
            "reset_password",
        ),
        ("pt", "quero cancelar a minha encomeda", "cancel_order"),
    ] {
        let (mut client, _) = app.hello(&[locale]).await;
        let (_, reply, _) = client.say("1", text).await;
        assert_eq!(reply["intent"], intent, "{locale}: {text}: {reply}");
        assert_eq!(reply["locale"], locale, "{text}");
    }
}
