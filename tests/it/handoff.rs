//! Hand-off to human agents, end to end: customers and agents on real sockets.

use serde_json::{json, Value};

use crate::helpers::{agents, spawn_app_with, Client, TestApp};

async fn desk() -> TestApp {
    spawn_app_with(|c| {
        c.agents = agents(&[("Ana", "t-ana"), ("Bruno", "t-bruno"), ("Chloé", "t-chloe")]);
        c.agent_reconnect_timeout_s = 1;
    })
    .await
}

/// A Spanish customer who asked for a person and is queued. Returns the client, its welcome
/// and the `queued` event.
async fn queued_customer(app: &TestApp, id: &str) -> (Client, Value, Value) {
    app.queued_customer(id, "quiero hablar con una persona, por favor")
        .await
}

#[tokio::test]
async fn a_customer_talks_to_an_agent_of_their_language_and_then_to_the_bot_again() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es-ES"]).await;
    let (mut customer, welcome, queued) = queued_customer(&app, "1").await;
    let conversation = welcome["session"].clone();
    assert_eq!(queued["position"], 1);
    assert!(
        queued["wait_estimate_s"].is_null(),
        "no history yet: {queued}"
    );
    assert!(queued["text"].as_str().unwrap().len() > 10);

    let queue = ana
        .queue_until(|q| q["waiting"].as_array().is_some_and(|w| !w.is_empty()))
        .await;
    assert_eq!(queue["waiting"][0]["conversation"], conversation);
    assert_eq!(queue["waiting"][0]["locale"], "es");
    assert!(queue["waiting"][0]["preview"]
        .as_str()
        .unwrap()
        .contains("persona"));

    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["type"], "assigned", "{assigned}");
    assert_eq!(assigned["conversation"], conversation);
    assert_eq!(assigned["locale"], "es");
    assert_eq!(assigned["context"]["reason"], "requested");
    assert_eq!(assigned["context"]["intents"][0]["intent"], "human_agent");
    assert_eq!(assigned["context"]["languages"][0]["locale"], "es");
    let transcript = assigned["transcript"].as_array().unwrap();
    assert_eq!(transcript[0]["from"], "customer");
    assert_eq!(transcript[1]["from"], "bot");

    let joined = customer.recv_type("handoff").await;
    assert_eq!(joined["state"], "assigned");
    assert!(joined["text"].as_str().unwrap().contains("Ana"), "{joined}");

    // While the agent owns it, the customer's messages go to the agent and the bot is silent.
    customer
        .send(json!({"type": "message", "id": "2", "text": "mi pedido llegó roto"}))
        .await;
    let ack = customer.recv().await;
    assert_eq!(ack["type"], "ack");
    let forwarded = ana.recv_skipping_queue().await;
    assert_eq!(forwarded["type"], "message");
    assert_eq!(forwarded["conversation"], conversation);
    assert_eq!(forwarded["from"], "customer");
    assert_eq!(forwarded["seq"], ack["seq"]);
    assert_eq!(forwarded["text"], "mi pedido llegó roto");

    // Typing both ways.
    ana.send(json!({"type": "typing", "conversation": conversation, "on": true}))
        .await;
    let typing = customer.recv().await;
    assert_eq!(
        typing,
        json!({"type": "typing", "from": "agent", "on": true})
    );
    customer.send(json!({"type": "typing", "on": true})).await;
    let typing = ana.recv_skipping_queue().await;
    assert_eq!(typing["type"], "typing");
    assert_eq!(typing["conversation"], conversation);

    ana.send(json!({"type": "message", "conversation": conversation, "text": "Lo siento mucho, te envío uno nuevo hoy."}))
        .await;
    let from_agent = customer.recv().await;
    assert_eq!(from_agent["type"], "message");
    assert_eq!(from_agent["from"], "agent");
    assert_eq!(from_agent["agent"]["name"], "Ana");
    assert_eq!(from_agent["seq"], ack["seq"].as_u64().unwrap() + 1);

    ana.send(json!({"type": "resolve", "conversation": conversation}))
        .await;
    let released = ana.recv_skipping_queue().await;
    assert_eq!(
        released,
        json!({"type": "released", "conversation": conversation, "reason": "resolved"})
    );
    let ended = customer.recv_type("handoff").await;
    assert_eq!(ended["state"], "ended");

    // The bot answers again.
    let (_, reply, _) = customer.say("3", "¿cuánto cuesta el envío?").await;
    assert_eq!(reply["intent"], "shipping_cost");
}

#[tokio::test]
async fn exactly_one_agent_owns_a_conversation() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let mut bruno = app.agent("t-bruno", &["es"]).await;
    let (_customer, welcome, _) = queued_customer(&app, "1").await;
    let conversation = welcome["session"].clone();
    ana.send(json!({"type": "claim", "conversation": conversation}))
        .await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    bruno
        .send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let conflict = bruno.recv_skipping_queue().await;
    assert_eq!(conflict["code"], "conflict", "{conflict}");
    // And Bruno can do nothing with Ana's conversation.
    for frame in [
        json!({"type": "message", "conversation": conversation, "text": "hola"}),
        json!({"type": "typing", "conversation": conversation, "on": true}),
        json!({"type": "transfer", "conversation": conversation, "locale": "fr"}),
        json!({"type": "resolve", "conversation": conversation}),
    ] {
        bruno.send(frame.clone()).await;
        let refused = bruno.recv_skipping_queue().await;
        assert_eq!(refused["code"], "not_found", "{frame}: {refused}");
    }
    // A conversation waiting in a language Chloé does not serve is not hers to claim.
    let mut chloe = app.agent("t-chloe", &["fr"]).await;
    let (_other, other_welcome, _) = queued_customer(&app, "1").await;
    chloe
        .send(json!({"type": "claim", "conversation": other_welcome["session"]}))
        .await;
    assert_eq!(chloe.recv_skipping_queue().await["code"], "not_found");
    bruno
        .send(json!({"type": "claim", "conversation": "no-such"}))
        .await;
    assert_eq!(bruno.recv_skipping_queue().await["code"], "not_found");
    bruno.send(json!({"type": "next"})).await;
    assert_eq!(
        bruno.recv_skipping_queue().await["type"],
        "assigned",
        "the other one"
    );
    bruno.send(json!({"type": "next"})).await;
    assert_eq!(bruno.recv_skipping_queue().await["code"], "not_found");
}

#[tokio::test]
async fn queued_customers_see_their_place_move_up() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (_first, _, q1) = queued_customer(&app, "1").await;
    let (mut second, _, q2) = queued_customer(&app, "1").await;
    assert_eq!(q1["position"], 1);
    assert_eq!(q2["position"], 2);
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    let moved = second.recv_type("handoff").await;
    assert_eq!(moved["state"], "queued");
    assert_eq!(moved["position"], 1);
    // One assignment happened: now there is an estimate.
    assert!(moved["wait_estimate_s"].is_u64(), "{moved}");
}

#[tokio::test]
async fn a_transfer_moves_the_conversation_to_another_language() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let mut chloe = app.agent("t-chloe", &["fr"]).await;
    let (mut customer, welcome, _) = queued_customer(&app, "1").await;
    let conversation = welcome["session"].clone();
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    customer.recv_type("handoff").await;
    ana.send(json!({"type": "transfer", "conversation": conversation, "locale": "fr-CA"}))
        .await;
    let released = ana.recv_skipping_queue().await;
    assert_eq!(released["reason"], "transferred");
    let requeued = customer.recv_type("handoff").await;
    assert_eq!(requeued["state"], "queued");
    let queue = chloe
        .queue_until(|q| q["waiting"].as_array().is_some_and(|w| !w.is_empty()))
        .await;
    assert_eq!(queue["waiting"][0]["conversation"], conversation);
    assert_eq!(queue["waiting"][0]["locale"], "fr");
    chloe.send(json!({"type": "next"})).await;
    let assigned = chloe.recv_skipping_queue().await;
    assert_eq!(assigned["conversation"], conversation);
}

#[tokio::test]
async fn a_vanished_agent_loses_the_conversation_after_the_timeout() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, _, _) = queued_customer(&app, "1").await;
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    assert_eq!(customer.recv_type("handoff").await["state"], "assigned");
    drop(ana);
    // After the reconnect timeout the customer is back in the queue, and told.
    let requeued = customer.recv_type("handoff").await;
    assert_eq!(requeued["state"], "queued", "{requeued}");
    assert_eq!(requeued["position"], 1);
    let mut bruno = app.agent("t-bruno", &["es"]).await;
    bruno.send(json!({"type": "next"})).await;
    assert_eq!(bruno.recv_skipping_queue().await["type"], "assigned");
}

#[tokio::test]
async fn an_agent_who_comes_back_in_time_keeps_the_conversation() {
    let app = spawn_app_with(|c| {
        c.agents = agents(&[("Ana", "t-ana")]);
        c.agent_reconnect_timeout_s = 30;
    })
    .await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (_customer, welcome, _) = queued_customer(&app, "1").await;
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    drop(ana);
    let mut again = app.agent("t-ana", &["es"]).await;
    let assigned = again.recv_skipping_queue().await;
    assert_eq!(
        assigned["type"], "assigned",
        "owned conversations are sent again"
    );
    assert_eq!(assigned["conversation"], welcome["session"]);
}

#[tokio::test]
async fn agent_messages_sent_while_the_customer_was_away_are_replayed() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, welcome, _) = queued_customer(&app, "1").await;
    let conversation = welcome["session"].clone();
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    let joined = customer.recv_type("handoff").await;
    drop(customer);
    ana.send(json!({"type": "message", "conversation": conversation, "text": "¿Sigues ahí?"}))
        .await;
    // The agent gets no error: the message is stored for the customer.
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Te espero."}))
        .await;
    let mut back = app.resumed(&welcome, &joined["seq"]).await;
    let first = back.recv().await;
    let second = back.recv().await;
    assert_eq!(first["text"], "¿Sigues ahí?");
    assert_eq!(second["text"], "Te espero.");
    assert_eq!(second["seq"], first["seq"].as_u64().unwrap() + 1);
}

#[tokio::test]
async fn a_customer_who_closes_releases_the_agent() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, welcome, _) = queued_customer(&app, "1").await;
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    customer.send(json!({"type": "close"})).await;
    let released = ana.recv_skipping_queue().await;
    assert_eq!(released["type"], "released");
    assert_eq!(released["conversation"], welcome["session"]);
    assert_eq!(released["reason"], "customer_closed");
}

#[tokio::test]
async fn content_that_needs_a_human_hands_off_and_says_why() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["en"]).await;
    let (mut customer, _) = app.hello(&["en"]).await;
    let (_, reply, others) = customer
        .say("1", "my parcel arrived and the screen is cracked")
        .await;
    assert_eq!(reply["intent"], "damaged_item");
    let queued = match others.into_iter().find(|f| f["type"] == "handoff") {
        Some(e) => e,
        None => customer.recv_type("handoff").await,
    };
    assert_eq!(queued["state"], "queued");
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["context"]["reason"], "intent:damaged_item");
}

#[tokio::test]
async fn accepting_the_offer_after_two_fallbacks_hands_off() {
    let app = desk().await;
    let _ana = app.agent("t-ana", &["en"]).await;
    let (mut customer, _) = app.hello(&["en"]).await;
    customer.say("1", "zxqv blorp").await;
    let (_, offer, _) = customer.say("2", "flurbo wibble").await;
    let suggestion = offer["suggestions"][0].clone();
    assert_eq!(suggestion["payload"], "human_agent");
    customer
        .send(json!({"type": "message", "id": "3", "text": suggestion["text"], "payload": suggestion["payload"]}))
        .await;
    let (_, reply, others) = customer.ack_and_reply("3").await;
    assert_eq!(reply["intent"], "human_agent");
    let queued = match others.into_iter().find(|f| f["type"] == "handoff") {
        Some(e) => e,
        None => customer.recv_type("handoff").await,
    };
    assert_eq!(queued["state"], "queued");
}

#[tokio::test]
async fn outside_opening_hours_a_handoff_is_unavailable() {
    // An offset that puts local time near noon, and hours that end at one in the morning.
    let now = time::OffsetDateTime::now_utc();
    let minutes = i32::from(now.hour()) * 60 + i32::from(now.minute());
    let app = spawn_app_with(|c| {
        c.agents = agents(&[("Ana", "t-ana")]);
        c.handoff_hours = Some("mon-sun 00:00-01:00".into());
        c.handoff_utc_offset_minutes = 720 - minutes;
    })
    .await;
    let _ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, _) = app.hello(&["es"]).await;
    customer.send(json!({"type": "handoff"})).await;
    let event = customer.recv().await;
    assert_eq!(event["state"], "unavailable", "{event}");
    assert!(event["text"]
        .as_str()
        .unwrap()
        .contains("help@northwind.example"));
}

#[tokio::test]
async fn agents_must_authenticate() {
    let app = desk().await;
    let url = format!("ws://{}/v1/agent", app.addr);
    for first in [
        json!({"type": "auth", "token": "t-an"}),
        json!({"type": "auth", "token": ""}),
        json!({"type": "ready", "languages": ["es"], "capacity": 1}),
        json!({"token": "t-ana"}),
    ] {
        let mut client = Client::connect(&url).await;
        client.send(first.clone()).await;
        client.expect_error("unauthorized").await;
        assert_eq!(client.closed().await, Some(1008), "{first}");
    }
}

#[tokio::test]
async fn agents_get_clear_errors_for_bad_frames() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    for (frame, code) in [
        (json!({"type": "dance"}), "unsupported"),
        (json!({"type": "claim"}), "bad_frame"),
        (
            json!({"type": "ready", "languages": ["pl"], "capacity": 1}),
            "unsupported",
        ),
        (
            json!({"type": "message", "conversation": "x", "text": ""}),
            "bad_frame",
        ),
    ] {
        ana.send(frame.clone()).await;
        let error = ana.recv_skipping_queue().await;
        assert_eq!(error["code"], code, "{frame}: {error}");
    }
}

/// A conversation id that cannot be one (what the session store never generates) is answered
/// as a conversation the agent does not own, whatever the frame.
#[tokio::test]
async fn agents_naming_an_impossible_conversation_get_not_found() {
    let app = desk().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let bad = "../not an id";
    for frame in [
        json!({"type": "claim", "conversation": bad}),
        json!({"type": "message", "conversation": bad, "text": "hola"}),
        json!({"type": "typing", "conversation": bad, "on": true}),
        json!({"type": "transfer", "conversation": bad, "locale": "en"}),
        json!({"type": "note", "conversation": bad, "text": "ojo"}),
        json!({"type": "resolve", "conversation": bad}),
    ] {
        ana.send(frame.clone()).await;
        let error = ana.recv_skipping_queue().await;
        assert_eq!(error["type"], "error", "{frame}: {error}");
        assert_eq!(error["code"], "not_found", "{frame}: {error}");
    }
}
