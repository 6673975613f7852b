//! What agents and waiting customers live through around a hand-off (issue 22): the bot while a
//! person is awaited, customers who leave, private and transfer notes, canned replies and which
//! languages can take a transfer. Real server, real sockets.

use serde_json::{json, Value};

use crate::helpers::{agents, spawn_app_with, Client, TestApp};

async fn desk(grace_s: u64) -> TestApp {
    spawn_app_with(|c| {
        c.agents = agents(&[("Ana", "t-ana"), ("Bruno", "t-bruno"), ("Chloé", "t-chloe")]);
        c.customer_grace_s = grace_s;
    })
    .await
}

/// A Spanish customer queued for a person: the client, its welcome, the `queued` event.
async fn queued(app: &TestApp, id: &str) -> (Client, Value, Value) {
    app.queued_customer(id, "quiero hablar con una persona")
        .await
}

#[tokio::test]
async fn a_waiting_customer_gets_where_they_stand_for_small_talk_and_answers_to_real_questions() {
    let app = desk(120).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, welcome, _) = queued(&app, "1").await;
    // Small talk, asking again, what the bot does not understand: one bot message each, saying
    // they still wait, at which place — no greeting, no "you're welcome", no second queue event.
    for (id, text) in [
        ("2", "hola?? hay alguien?"),
        ("3", "gracias"),
        ("4", "quiero hablar con una persona ya"),
        ("5", "zxqv blorp"),
    ] {
        let (_, reply, others) = customer.say(id, text).await;
        assert!(
            reply["text"]
                .as_str()
                .unwrap()
                .starts_with("Sigues en el primer puesto de la cola."),
            "{text}: {reply}"
        );
        assert_eq!(reply["locale"], "es");
        assert_eq!(reply["suggestions"], json!([]), "{reply}");
        assert!(
            others.iter().all(|f| f["type"] != "handoff"),
            "{text}: {others:?}"
        );
    }
    // A question the bot can answer is answered.
    let (_, reply, _) = customer
        .say("6", "¿Cuánto cuesta el envío a domicilio?")
        .await;
    assert_eq!(reply["intent"], "shipping_cost", "{reply}");
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .contains("El envío estándar cuesta"),
        "{reply}"
    );
    // The queue shows the customer's latest words.
    let queue = ana
        .queue_until(|q| q["waiting"][0]["preview"] == "¿Cuánto cuesta el envío a domicilio?")
        .await;
    assert_eq!(queue["waiting"][0]["conversation"], welcome["session"]);
    assert_eq!(
        queue["waiting"][0]["preview"],
        "¿Cuánto cuesta el envío a domicilio?"
    );
    assert_eq!(queue["waiting"][0]["presence"], "online");
}

#[tokio::test]
async fn the_agent_sees_the_customer_go_away_come_back_and_leave_and_gets_their_place_back() {
    let app = desk(1).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, welcome, _) = queued(&app, "1").await;
    let conversation = welcome["session"].clone();
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_type("assigned").await;
    assert_eq!(assigned["presence"], "online", "{assigned}");
    // The tab is hidden, then shown again.
    customer
        .send(json!({"type": "presence", "state": "hidden"}))
        .await;
    let away = ana.recv_type("presence").await;
    assert_eq!(
        (&away["conversation"], &away["state"]),
        (&conversation, &json!("away"))
    );
    customer
        .send(json!({"type": "presence", "state": "visible"}))
        .await;
    assert_eq!(ana.recv_type("presence").await["state"], "online");
    // A bad state is refused, and the connection stays.
    customer
        .send(json!({"type": "presence", "state": "gone"}))
        .await;
    let refused = customer.recv_until(|f| f["type"] == "error").await;
    assert_eq!(refused["code"], "bad_frame");
    // The tab closes: the agent is told at once, and after the grace time the place is freed.
    drop(customer);
    let left = ana.recv_type("presence").await;
    assert_eq!(left["state"], "left", "{left}");
    let released = ana.recv_type("released").await;
    assert_eq!(
        (&released["conversation"], &released["reason"]),
        (&conversation, &json!("customer_left"))
    );
    // Back later, the customer reads that the wait ended, and why.
    let mut back = app.resumed(&welcome, &json!(0)).await;
    let ended = back
        .recv_until(|f| f["type"] == "handoff" && f["state"] == "ended")
        .await;
    assert!(
        ended["text"]
            .as_str()
            .unwrap()
            .starts_with("Estuviste ausente un rato"),
        "{ended}"
    );
    // Ana's capacity is hers again: a new customer can be taken.
    let (_other, other_welcome, _) = queued(&app, "1").await;
    ana.send(json!({"type": "claim", "conversation": other_welcome["session"]}))
        .await;
    assert_eq!(
        ana.recv_type("assigned").await["conversation"],
        other_welcome["session"]
    );
}

#[tokio::test]
async fn a_customer_back_within_the_grace_time_keeps_their_agent() {
    let app = desk(30).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (customer, welcome, _) = queued(&app, "1").await;
    ana.send(json!({"type": "next"})).await;
    ana.recv_type("assigned").await;
    drop(customer);
    assert_eq!(ana.recv_type("presence").await["state"], "left");
    let _back = app.resumed(&welcome, &json!(0)).await;
    assert_eq!(ana.recv_type("presence").await["state"], "online");
    ana.send(json!({"type": "message", "conversation": welcome["session"], "text": "¿Sigues ahí?", "id": "m1"}))
        .await;
    let next = ana.recv_skipping_queue().await;
    assert_eq!(next["type"], "ack", "still Ana's: {next}");
}

#[tokio::test]
async fn take_next_skips_customers_who_left_and_their_place_is_freed_after_the_grace_time() {
    let app = desk(2).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (gone, gone_welcome, _) = queued(&app, "1").await;
    let (_here, here_welcome, _) = queued(&app, "1").await;
    drop(gone);
    let queue = ana
        .queue_until(|q| {
            q["waiting"]
                .as_array()
                .is_some_and(|w| w.iter().any(|t| t["presence"] == "left"))
        })
        .await;
    assert_eq!(queue["waiting"][0]["conversation"], gone_welcome["session"]);
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_type("assigned").await;
    assert_eq!(
        assigned["conversation"], here_welcome["session"],
        "the one still here, though the other waited longer"
    );
    // After the grace time the departed customer's ticket leaves the queue.
    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| w.is_empty()))
        .await;
}

#[tokio::test]
async fn private_notes_reach_agents_only_and_a_transfer_note_travels_with_the_conversation() {
    let app = desk(120).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let mut bruno = app.agent("t-bruno", &["es"]).await;
    let (mut customer, welcome, _) = queued(&app, "1").await;
    let conversation = welcome["session"].clone();
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_type("assigned").await;
    assert_eq!(assigned["notes"], json!([]));
    ana.send(json!({"type": "note", "conversation": conversation, "text": "pedido 48213377, ya reembolsado una vez", "id": "n1"}))
        .await;
    let note = ana.recv_type("note").await;
    assert_eq!(note["id"], "n1");
    assert_eq!(note["note"]["kind"], "note");
    assert_eq!(note["note"]["author"]["name"], "Ana");
    // Only the owner writes notes.
    bruno
        .send(json!({"type": "note", "conversation": conversation, "text": "mine?"}))
        .await;
    assert_eq!(bruno.recv_skipping_queue().await["code"], "not_found");
    // A transfer to a language nobody serves now is refused: the customer would wait forever.
    ana.send(json!({"type": "transfer", "conversation": conversation, "locale": "de", "note": "habla alemán"}))
        .await;
    let refused = ana.recv_skipping_queue().await;
    assert_eq!(refused["code"], "conflict", "{refused}");
    // Coverage says who is online where.
    ana.send(json!({"type": "coverage"})).await;
    let coverage = ana.recv_type("coverage").await;
    assert_eq!(coverage["online"]["es"], 2, "{coverage}");
    assert_eq!(coverage["online"]["de"], 0, "{coverage}");
    assert_eq!(
        coverage["online"].as_object().unwrap().len(),
        13,
        "every supported locale"
    );
    // Back to the Spanish queue, with a note for whoever takes it.
    ana.send(json!({"type": "transfer", "conversation": conversation, "note": "necesita un reembolso, yo salgo de turno"}))
        .await;
    assert_eq!(ana.recv_type("released").await["reason"], "transferred");
    // The customer is told once where they stand: one handoff event, not two.
    let told = customer
        .recv_until(|f| f["type"] == "handoff" && f["state"] == "queued")
        .await;
    assert_eq!(told["position"], 1);
    customer
        .send(json!({"type": "message", "id": "2", "text": "gracias"}))
        .await;
    let mut seen = Vec::new();
    loop {
        let frame = customer.recv().await;
        let done = frame["type"] == "message" && frame["in_reply_to"] == "2";
        seen.push(frame);
        if done {
            break;
        }
    }
    assert!(
        seen.iter().all(|f| f["type"] != "handoff"),
        "a second note for the same move: {seen:?}"
    );
    bruno
        .send(json!({"type": "claim", "conversation": conversation}))
        .await;
    let taken = bruno.recv_type("assigned").await;
    let notes = taken["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[1]["kind"], "transfer");
    assert_eq!(notes[1]["author"]["name"], "Ana");
    assert_eq!(notes[1]["from_locale"], "es");
    assert_eq!(notes[1]["text"], "necesita un reembolso, yo salgo de turno");
    // The customer's transcript holds none of it.
    let transcript = taken["transcript"].to_string();
    assert!(!transcript.contains("reembolsado una vez"), "{transcript}");
    let mut replay = app.connect().await;
    let again = replay
        .resume(&welcome["session"], &welcome["token"], 0)
        .await;
    let last = again["last_seq"].as_u64().unwrap();
    loop {
        let event = replay.recv().await;
        assert!(
            !event.to_string().contains("reembolsado una vez")
                && !event.to_string().contains("yo salgo de turno"),
            "{event}"
        );
        if event["seq"].as_u64() == Some(last) {
            break;
        }
    }
}

#[tokio::test]
async fn canned_replies_come_in_the_conversations_language_with_the_agents_name() {
    let app = desk(120).await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (_customer, _, _) = queued(&app, "1").await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_type("assigned").await;
    let canned = assigned["canned"].as_array().unwrap();
    let hello = canned
        .iter()
        .find(|c| c["name"] == "hello")
        .expect("canned-hello");
    assert_eq!(hello["locale"], "es");
    assert!(
        hello["text"]
            .as_str()
            .unwrap()
            .starts_with("Hola, soy Ana."),
        "{hello}"
    );
    assert!(canned.iter().any(|c| c["name"] == "refund"), "{canned:?}");
}
