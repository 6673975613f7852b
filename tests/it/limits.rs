//! Limits: floods are refused and then closed while others are served, connections past the
//! cap or too fast from one address are refused at the handshake, a client that stops reading
//! holds a bounded queue and is dropped, a silent peer is found by its missing pongs.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::MaybeTlsStream;

use crate::helpers::process::Node;
use crate::helpers::{agent_ana, http_get, poll, poll_until, spawn_app_with, Client, TestApp};

/// A handshake to `/v1/chat` with extra headers; the HTTP status of a refusal, or the client.
async fn handshake(
    app: &TestApp,
    headers: &[(&str, &str)],
) -> Result<Client, (u16, Option<String>)> {
    let mut request = app.ws_url().into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((ws, _)) => Ok(Client { ws }),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err((
            response.status().as_u16(),
            response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(String::from),
        )),
        Err(e) => panic!("handshake failed for another reason: {e}"),
    }
}

#[tokio::test]
async fn a_flood_is_rate_limited_then_closed_while_a_neighbour_on_the_same_address_is_served() {
    let app = spawn_app_with(|c| {
        c.rate_limit_per_s = 5;
        c.rate_limit_burst = 10;
        c.rate_limit_strikes = 20;
    })
    .await;
    let (mut neighbour, _) = app.hello(&["en"]).await;
    let (mut flooder, _) = app.hello(&["en"]).await;
    let sent = 2000;
    let flood = tokio::spawn(async move {
        let start = Instant::now();
        for n in 0..sent {
            let frame =
                json!({"type": "message", "id": format!("f{n}"), "text": "where is my order?"});
            if flooder
                .ws
                .send(Message::text(frame.to_string()))
                .await
                .is_err()
            {
                break;
            }
        }
        // Everything the gateway answered, until it closes.
        let (mut acked, mut limited, mut code) = (0, 0, None);
        while let Some(message) = flooder.next_message().await {
            match message {
                Message::Text(text) => {
                    let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
                    match frame["type"].as_str() {
                        Some("ack") => acked += 1,
                        Some("error") if frame["code"] == "rate_limited" => limited += 1,
                        _ => {}
                    }
                }
                Message::Close(frame) => {
                    code = frame.map(|f| u16::from(f.code));
                    break;
                }
                _ => {}
            }
        }
        (acked, limited, code, start.elapsed())
    });
    // Meanwhile the neighbour, from the same address, talks at a human pace and is answered.
    for n in 0..5 {
        let started = Instant::now();
        let (_, reply, others) = neighbour
            .say(&format!("n{n}"), "how much does shipping cost?")
            .await;
        assert_eq!(reply["intent"], "shipping_cost");
        assert!(
            others.iter().all(|f| f["code"] != "rate_limited"),
            "{others:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (acked, limited, code, took) = flood.await.unwrap();
    println!("flood: {sent} frames sent, {acked} processed, {limited} refused with rate_limited, closed with {code:?} after {took:?}");
    assert_eq!(code, Some(1008), "the flooder is closed for abuse");
    // The burst, plus what refilled (5 a second) while it flooded.
    let allowed = 10 + 5 * (took.as_secs() as usize + 1);
    assert!((10..=allowed).contains(&acked), "{acked} processed");
    assert!(limited >= 20, "{limited} refused");
    let (status, body) = http_get(app.addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("switchboard_frames_rate_limited_total"),
        "{body}"
    );
    assert!(body.contains("reason=\"abuse\""), "{body}");
}

#[tokio::test]
async fn a_client_within_the_rate_is_never_limited() {
    let app = spawn_app_with(|c| {
        c.rate_limit_per_s = 20;
        c.rate_limit_burst = 5;
    })
    .await;
    let (mut client, _) = app.hello(&["en"]).await;
    let mut ticker = tokio::time::interval(Duration::from_millis(70));
    for n in 0..30 {
        ticker.tick().await;
        client
            .send(json!({"type": "typing", "on": n % 2 == 0}))
            .await;
    }
    let (_, reply, others) = client.say("1", "how much does shipping cost?").await;
    assert_eq!(reply["intent"], "shipping_cost");
    assert!(others.is_empty(), "nothing but the answer: {others:?}");
}

#[tokio::test]
async fn connections_past_the_cap_are_refused_with_503_until_one_leaves() {
    let app = spawn_app_with(|c| {
        c.max_connections = 3;
        c.agents = agent_ana();
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(app.hello(&["en"]).await.0);
    }
    let mut refused = 0;
    for _ in 0..5 {
        let (status, retry) = handshake(&app, &[]).await.err().expect("refused");
        assert_eq!(status, 503);
        assert!(retry.is_some(), "a refusal says when to retry");
        refused += 1;
    }
    // Agents do not take customers' places.
    let _agent = app.agent("t-ana", &["en"]).await;
    // One leaves; its place is free again once its connection has ended.
    let mut leaving = held.pop().unwrap();
    leaving.send(json!({"type": "close"})).await;
    assert_eq!(leaving.closed().await, Some(1000));
    let (every, within) = (Duration::from_millis(20), Duration::from_secs(5));
    let admitted = poll(every, within, async || match handshake(&app, &[]).await {
        Ok(client) => Some(client),
        Err((503, _)) => None,
        Err(other) => panic!("{other:?}"),
    })
    .await;
    let mut admitted = admitted.expect("a place frees when a connection ends");
    admitted.hello(&["en"]).await;
    println!(
        "connection cap 3: {refused} handshakes refused with 503, then one admitted after a close"
    );
}

#[tokio::test]
async fn new_connections_from_one_address_are_limited_per_minute() {
    let app = spawn_app_with(|c| {
        c.max_new_connections_per_ip_per_minute = 5;
        c.client_ip_header = Some("X-Forwarded-For".into());
    })
    .await;
    let busy = [("x-forwarded-for", "203.0.113.7")];
    let mut open = Vec::new();
    for _ in 0..5 {
        open.push(handshake(&app, &busy).await.expect("within the allowance"));
    }
    let mut refused = 0;
    for _ in 0..3 {
        let (status, retry) = handshake(&app, &busy)
            .await
            .err()
            .expect("over the allowance");
        assert_eq!(status, 429);
        assert_eq!(retry.as_deref(), Some("60"));
        refused += 1;
    }
    // Another address is not affected, nor the ones already open.
    let mut other = handshake(&app, &[("x-forwarded-for", "198.51.100.9")])
        .await
        .expect("another address");
    other.hello(&["en"]).await;
    open[0].hello(&["en"]).await;
    println!("5 new connections a minute per address: {refused} of 8 refused with 429");
}

/// A customer whose client stops reading while an agent writes to them: the gateway holds at
/// most its send queue for them, drops them when the queue stays full, and the agent and other
/// customers are not slowed. On resume, every message arrives, once.
#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_with_a_bounded_queue_and_loses_nothing() {
    let app = spawn_app_with(|c| {
        c.agents = agent_ana();
        c.max_text_chars = 50_000;
        c.max_frame_bytes = 256 * 1024;
        c.send_queue_frames = 4;
        c.send_timeout_s = 1;
    })
    .await;
    let mut ana = app.agent("t-ana", &["en"]).await;
    // The customer's socket has a small receive buffer, so it fills quickly when not read.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(app.addr).await.unwrap();
    let (ws, _) = tokio_tungstenite::client_async(app.ws_url(), MaybeTlsStream::Plain(stream))
        .await
        .unwrap();
    let mut customer = Client { ws };
    let welcome = customer.hello(&["en"]).await;
    let conversation = welcome["session"].clone();
    customer.say("1", "I want to talk to a human").await;
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    customer.recv_until(|f| f["state"] == "assigned").await;
    let last_read = customer_last_seq(&mut customer).await;

    // The customer stops reading; the agent sends 100 messages of 40 KB.
    let sent = 300;
    let big = "z".repeat(40_000);
    let started = Instant::now();
    for n in 0..sent {
        ana.send(json!({"type": "message", "conversation": conversation, "text": format!("{n:03}{big}")}))
            .await;
    }
    // The agent is not held up: a frame after the 100 is answered at once.
    ana.send(json!({"type": "dance"})).await;
    assert_eq!(ana.recv_skipping_queue().await["code"], "unsupported");
    // Others are served.
    let (mut other, _) = app.hello(&["en"]).await;
    let (_, reply, _) = other.say("1", "how much does shipping cost?").await;
    assert_eq!(reply["intent"], "shipping_cost");
    println!("agent sent {sent} x 40 KB in {:?}", started.elapsed());

    // The gateway gives up on the customer once its queue has stayed full for a second.
    let (every, within) = (Duration::from_millis(100), Duration::from_secs(15));
    let stalled = poll_until(every, within, async || {
        let (_, metrics) = http_get(app.addr, "/metrics").await;
        metrics.contains("reason=\"stalled\"")
    })
    .await;
    assert!(
        stalled,
        "the gateway did not give up on a client that does not read"
    );
    // Reading now, what arrives ends well before the last message.
    let mut delivered = 0;
    let mut last_seq = last_read;
    let dropped = loop {
        match tokio::time::timeout(Duration::from_secs(10), customer.ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
                if frame["from"] == "agent" {
                    delivered += 1;
                    last_seq = frame["seq"].as_u64().unwrap();
                }
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(_)) | None) => break true,
            Err(_) => break false,
        }
    };
    println!("stalled customer: {delivered} of {sent} messages delivered before the gateway dropped it (queue of 4 frames)");
    assert!(dropped, "the stalled connection was not dropped");
    assert!(
        delivered < sent,
        "the gateway kept writing to a client that did not read"
    );

    // Resuming, the customer gets the rest, each once and in order.
    let mut again = app.connect().await;
    let resumed = again
        .resume(&welcome["session"], &welcome["token"], last_seq)
        .await;
    assert_eq!(resumed["resumed"], true, "{resumed}");
    let mut next = delivered;
    while next < sent {
        let frame = again.recv().await;
        if frame["from"] != "agent" {
            continue;
        }
        let text = frame["text"].as_str().unwrap();
        assert_eq!(
            &text[..3],
            format!("{next:03}"),
            "in order, none missing or twice"
        );
        next += 1;
    }
}

/// Reads until the frames stop for a moment; returns the highest `seq` seen.
async fn customer_last_seq(client: &mut Client) -> u64 {
    let mut last = 0;
    while let Ok(Some(Ok(message))) =
        tokio::time::timeout(Duration::from_millis(300), client.ws.next()).await
    {
        if let Message::Text(text) = message {
            let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
            last = last.max(frame["seq"].as_u64().unwrap_or(0));
        }
    }
    last
}

#[tokio::test]
async fn a_peer_that_answers_no_pings_is_closed_and_a_quiet_live_one_is_not() {
    let app = spawn_app_with(|c| {
        c.ping_interval_s = 1;
        c.pong_timeout_s = 3;
    })
    .await;
    let (mut quiet, _) = app.hello(&["en"]).await;
    let (mut dead, _) = app.hello(&["en"]).await;
    // The quiet client reads (and so answers pings) but says nothing for twice the timeout.
    let mut pings = 0;
    let until = Instant::now() + Duration::from_secs(6);
    while let Ok(next) = tokio::time::timeout_at(until.into(), quiet.ws.next()).await {
        match next {
            Some(Ok(Message::Ping(_))) => pings += 1,
            other => panic!("only pings come to a quiet client, got {other:?}"),
        }
    }
    assert!(pings >= 3, "{pings} pings");
    let (_, reply, _) = quiet.say("1", "how much does shipping cost?").await;
    assert_eq!(reply["intent"], "shipping_cost");
    // The other one never read, so never answered: it was closed as unresponsive (its close
    // frame may be lost to the reset of the pongs it finally writes to the closed socket).
    let code = dead.closed().await;
    assert!(matches!(code, Some(4003) | None), "{code:?}");
    let (_, body) = http_get(app.addr, "/metrics").await;
    assert!(body.contains("reason=\"unresponsive\""), "{body}");
}

/// Handshakes refused at the connection cap are counted
/// (`switchboard_connections_refused_total`), not logged: one ERROR line each would let a flood
/// of them bury what operators must see.
#[tokio::test]
async fn refused_handshakes_write_no_error_lines() {
    let mut node = Node::start(&[("SWITCHBOARD_MAX_CONNECTIONS", "1")]).await;
    let mut held = node.connect().await;
    held.hello(&["en"]).await;
    for _ in 0..20 {
        match tokio_tungstenite::connect_async(node.ws_url()).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(refusal)) => {
                assert_eq!(refusal.status(), 503)
            }
            other => panic!("not refused: {other:?}"),
        }
    }
    node.signal("TERM");
    assert_eq!(node.exited(Duration::from_secs(15)).await, Some(0));
    let errors: Vec<String> = node
        .log_lines()
        .into_iter()
        .filter(|line| line.contains(r#""level":"ERROR""#))
        .collect();
    assert!(
        errors.is_empty(),
        "{} ERROR lines for 20 refusals:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
