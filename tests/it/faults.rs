//! Faults with real processes and a real Redis: a gateway node stopped with SIGTERM, a node
//! killed with SIGKILL while customers and agents talk through it, an agent whose socket goes
//! dead or drops.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{json, Value};
use switchboard::config::Config;

use crate::helpers::process::Node;
use crate::helpers::redis_server::RedisServer;
use crate::helpers::{agent_at, agents, spawn_app_on_redis, Client, TestApp};

const TEAM: &str = "Ana:t-ana,Bo:t-bo";

/// Signs in at `addr` and says ready for English; returns the client and every frame the ready
/// brought (queue, assigned…) within a short while.
async fn english_agent(addr: SocketAddr, token: &str, capacity: u32) -> (Client, Vec<Value>) {
    let (mut agent, first) = agent_at(addr, token, &["en"], capacity).await;
    let mut frames = vec![first];
    while let Some(frame) = agent.recv_within(Duration::from_millis(500)).await {
        frames.push(frame);
    }
    (agent, frames)
}

/// Reads frames until one satisfies `done`; returns it. Waits up to `within` in all.
async fn until(client: &mut Client, within: Duration, done: impl Fn(&Value) -> bool) -> Value {
    tokio::time::timeout(within, client.recv_until(done))
        .await
        .expect("the awaited frame came in time")
}

/// Node A, a process of its own (so it can be signalled) with `extra` in its environment, and
/// node B in this process with `configure` applied; both on `url`'s Redis, with the team.
async fn two_nodes(
    url: &str,
    extra: (&str, &str),
    configure: impl FnOnce(&mut Config),
) -> (Node, TestApp) {
    let node_a = Node::start(&[
        ("SWITCHBOARD_REDIS_URL", url),
        ("SWITCHBOARD_AGENTS", TEAM),
        extra,
    ])
    .await;
    let node_b = spawn_app_on_redis(url, |c| {
        c.agents = agents(&[("Ana", "t-ana"), ("Bo", "t-bo")]);
        configure(c);
    })
    .await;
    (node_a, node_b)
}

/// Asks for a human and waits until the hand-off is queued.
async fn ask_for_a_human(customer: &mut Client, id: &str) {
    customer
        .send(json!({"type": "message", "id": id, "text": "I want to talk to a human"}))
        .await;
    until(customer, Duration::from_secs(20), |f| {
        f["type"] == "handoff" && f["state"] == "queued"
    })
    .await;
}

#[tokio::test]
async fn sigterm_stops_accepting_tells_clients_to_reconnect_and_loses_no_conversation() {
    let redis = RedisServer::start().await;
    let url = redis.url();
    let (mut node_a, node_b) = two_nodes(&url, ("SWITCHBOARD_SHUTDOWN_GRACE_S", "5"), |_| {}).await;
    let base_b = format!("ws://{}", node_b.addr);

    let (mut ana, _) = english_agent(node_a.addr, "t-ana", 3).await;
    // One customer talks to Ana, one waits in the queue, one talks to the bot.
    let mut talking = node_a.connect().await;
    let talking_welcome = talking.hello(&["en"]).await;
    ask_for_a_human(&mut talking, "1").await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    let conversation = assigned["conversation"].clone();
    assert_eq!(conversation, talking_welcome["session"]);
    until(&mut talking, Duration::from_secs(10), |f| {
        f["state"] == "assigned"
    })
    .await;
    let mut waiting = node_a.connect().await;
    let waiting_welcome = waiting.hello(&["en"]).await;
    ask_for_a_human(&mut waiting, "1").await;
    let mut bot = node_a.connect().await;
    let bot_welcome = bot.hello(&["en"]).await;

    // A question is on its way as the node is told to stop.
    bot.send(json!({"type": "message", "id": "q", "text": "how much does shipping cost?"}))
        .await;
    node_a.signal("TERM");

    // Everyone is told to reconnect; what was in flight was answered before the close.
    let mut answered = false;
    let mut acked = false;
    let code = loop {
        match bot.next_message().await {
            Some(tokio_tungstenite::tungstenite::Message::Text(text)) => {
                let frame: Value = serde_json::from_str(&text).unwrap();
                acked |= frame["type"] == "ack";
                answered |= frame["in_reply_to"] == "q";
            }
            Some(tokio_tungstenite::tungstenite::Message::Close(frame)) => {
                break frame.map(|f| u16::from(f.code))
            }
            Some(_) => {}
            None => break None,
        }
    };
    assert_eq!(code, Some(1012));
    assert_eq!(
        acked, answered,
        "an acknowledged question was answered before the close"
    );
    assert_eq!(talking.closed().await, Some(1012));
    assert_eq!(waiting.closed().await, Some(1012));
    assert_eq!(ana.closed().await, Some(1012));
    // It accepts no new connection, and exits cleanly within the grace period.
    assert!(tokio_tungstenite::connect_async(node_a.ws_url())
        .await
        .is_err());
    assert_eq!(node_a.exited(Duration::from_secs(10)).await, Some(0));

    // Everything is still in Redis for node B: Ana is back with her conversation, and the
    // waiting customer is still waiting.
    let (mut ana, frames) = english_agent(node_b.addr, "t-ana", 3).await;
    let queue = frames.iter().find(|f| f["type"] == "queue").unwrap();
    assert!(
        queue["waiting"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["conversation"] == waiting_welcome["session"]),
        "{queue}"
    );
    let mut frames = frames.into_iter();
    let back = match frames.find(|f| f["type"] == "assigned") {
        Some(f) => f,
        None => ana.recv_skipping_queue().await,
    };
    assert_eq!(back["conversation"], conversation, "{back}");
    // The conversation goes on through node B, both ways.
    let mut talking = Client::connect(&format!("{base_b}/v1/chat")).await;
    let resumed = talking
        .resume(
            &talking_welcome["session"],
            &talking_welcome["token"],
            u64::MAX,
        )
        .await;
    assert_eq!(resumed["resumed"], true, "{resumed}");
    talking
        .send(json!({"type": "message", "id": "2", "text": "are you still there?"}))
        .await;
    let forwarded = ana.recv_skipping_queue().await;
    assert_eq!(forwarded["text"], "are you still there?");
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Yes!"}))
        .await;
    until(&mut talking, Duration::from_secs(10), |f| {
        f["text"] == "Yes!"
    })
    .await;
    // The bot customer's question was answered exactly once, before or after the move.
    let mut bot = Client::connect(&format!("{base_b}/v1/chat")).await;
    let resumed = bot
        .resume(&bot_welcome["session"], &bot_welcome["token"], 0)
        .await;
    assert_eq!(resumed["resumed"], true, "{resumed}");
    if !acked {
        bot.send(json!({"type": "message", "id": "q", "text": "how much does shipping cost?"}))
            .await;
        bot.ack_and_reply("q").await;
    }
    let mut again = Client::connect(&format!("{base_b}/v1/chat")).await;
    let welcome = again
        .resume(&bot_welcome["session"], &bot_welcome["token"], 0)
        .await;
    let mut transcript = Vec::new();
    for _ in 0..welcome["last_seq"].as_u64().unwrap() {
        transcript.push(again.recv().await);
    }
    let questions = transcript
        .iter()
        .filter(|e| e["from"] == "customer")
        .count();
    let replies = transcript
        .iter()
        .filter(|e| e["in_reply_to"] == "q")
        .count();
    assert_eq!((questions, replies), (1, 1), "{transcript:?}");
}

/// What one customer has seen, by `seq`, across all its connections.
#[derive(Default)]
struct Seen {
    events: BTreeMap<u64, Value>,
    /// Acknowledged client message ids. Kept apart from `events`: after a resume, a message
    /// the dead node recorded but did not acknowledge comes back first as the customer's own
    /// event (no id), and the ack of its re-send names the same `seq`.
    acks: HashSet<String>,
}

impl Seen {
    /// Records a frame; a visible event seen twice is a failure (an `ack` and the customer's
    /// own message event name the same `seq`, and that is one event).
    fn absorb(&mut self, frame: &Value) {
        let Some(seq) = frame["seq"].as_u64() else {
            return;
        };
        let is_ack = frame["type"] == "ack";
        if is_ack {
            self.acks
                .insert(frame["id"].as_str().unwrap_or_default().to_string());
        }
        match self.events.get(&seq) {
            None => {
                self.events.insert(seq, frame.clone());
            }
            Some(before) => {
                let own_message = (before["type"] == "ack" && frame["from"] == "customer")
                    || (is_ack && before["from"] == "customer");
                assert!(
                    own_message,
                    "seq {seq} delivered twice: {before} and {frame}"
                );
            }
        }
    }

    fn last(&self) -> u64 {
        self.events.keys().next_back().copied().unwrap_or(0)
    }

    fn acked(&self, id: &str) -> bool {
        self.acks.contains(id)
    }

    fn has_text(&self, text: &str) -> bool {
        self.events.values().any(|e| e["text"] == text)
    }
}

/// Reads frames into `seen` until `done` holds for what was seen.
async fn read_until(client: &mut Client, seen: &mut Seen, done: impl Fn(&Seen) -> bool) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while !done(seen) {
            let frame = client.recv().await;
            seen.absorb(&frame);
        }
    })
    .await
    .expect("the awaited frames came in time")
}

#[tokio::test]
async fn a_node_killed_with_sigkill_loses_no_message_and_customers_resume_on_another() {
    let redis = RedisServer::start().await;
    let url = redis.url();
    let (mut node_a, node_b) =
        two_nodes(&url, ("SWITCHBOARD_AGENT_RECONNECT_TIMEOUT_S", "10"), |c| {
            c.agent_reconnect_timeout_s = 10
        })
        .await;
    let base_b = format!("ws://{}", node_b.addr);
    let customers = 3;

    // Three customers, each in conversation with Ana, all through node A.
    let (mut ana, _) = english_agent(node_a.addr, "t-ana", customers as u32).await;
    let mut clients = Vec::new();
    let mut welcomes = Vec::new();
    let mut seen: Vec<Seen> = Vec::new();
    let mut conversation_of: HashMap<String, usize> = HashMap::new();
    for i in 0..customers {
        let mut client = node_a.connect().await;
        let welcome = client.hello(&["en"]).await;
        let mut s = Seen::default();
        client
            .send(json!({"type": "message", "id": "h", "text": "I want to talk to a human"}))
            .await;
        read_until(&mut client, &mut s, |s| {
            s.events.values().any(|e| e["state"] == "queued")
        })
        .await;
        ana.send(json!({"type": "next"})).await;
        let assigned = ana.recv_skipping_queue().await;
        assert_eq!(assigned["conversation"], welcome["session"]);
        read_until(&mut client, &mut s, |s| {
            s.events.values().any(|e| e["state"] == "assigned")
        })
        .await;
        conversation_of.insert(welcome["session"].as_str().unwrap().to_string(), i);
        clients.push(client);
        welcomes.push(welcome);
        seen.push(s);
    }
    // Ana's view: every customer message she was shown, by conversation and seq.
    let mut ana_saw: HashMap<usize, HashSet<String>> = HashMap::new();
    let mut note = |ana_saw: &mut HashMap<usize, HashSet<String>>, frame: &Value| {
        let conversation = frame["conversation"].as_str().unwrap_or_default();
        let Some(&i) = conversation_of.get(conversation) else {
            return;
        };
        let texts = ana_saw.entry(i).or_default();
        match frame["type"].as_str() {
            Some("message") => {
                texts.insert(frame["text"].as_str().unwrap().to_string());
            }
            Some("assigned") => {
                for m in frame["transcript"].as_array().unwrap() {
                    if m["from"] == "customer" {
                        texts.insert(m["text"].as_str().unwrap().to_string());
                    }
                }
            }
            _ => {}
        }
    };
    let talk = |round: usize| {
        (0..customers)
            .map(move |i| (i, format!("m{round}"), format!("c{i} m{round}")))
            .collect::<Vec<_>>()
    };

    // A few rounds through node A: the customer writes, Ana answers.
    async fn exchange(
        clients: &mut [Client],
        seen: &mut [Seen],
        welcomes: &[Value],
        ana: &mut Client,
        lines: Vec<(usize, String, String)>,
        ana_saw: &mut HashMap<usize, HashSet<String>>,
        note: &mut impl FnMut(&mut HashMap<usize, HashSet<String>>, &Value),
    ) {
        for (i, id, text) in lines {
            clients[i]
                .send(json!({"type": "message", "id": id, "text": text}))
                .await;
            read_until(&mut clients[i], &mut seen[i], |s| s.acked(&id)).await;
            // Every frame Ana gets counts (a re-sent message may come live meanwhile).
            loop {
                let frame = ana.recv().await;
                note(ana_saw, &frame);
                if frame["text"] == text {
                    break;
                }
            }
            let answer = format!("re {text}");
            ana.send(
                json!({"type": "message", "conversation": welcomes[i]["session"], "text": answer}),
            )
            .await;
            read_until(&mut clients[i], &mut seen[i], |s| s.has_text(&answer)).await;
        }
    }
    for round in 0..3 {
        exchange(
            &mut clients,
            &mut seen,
            &welcomes,
            &mut ana,
            talk(round),
            &mut ana_saw,
            &mut note,
        )
        .await;
    }

    // Mid-conversation, with frames on their way both ways, node A is killed.
    for (i, id, text) in talk(3) {
        clients[i]
            .send(json!({"type": "message", "id": id, "text": text}))
            .await;
        ana.send(json!({"type": "message", "conversation": welcomes[i]["session"], "text": format!("late c{i}")}))
            .await;
    }
    node_a.signal("KILL");
    assert_eq!(node_a.exited(Duration::from_secs(10)).await, None);
    // What had arrived before the kill counts as seen.
    for (client, s) in clients.iter_mut().zip(seen.iter_mut()) {
        while let Some(message) = client.next_message().await {
            if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
                s.absorb(&serde_json::from_str(&text).unwrap());
            }
        }
    }

    // Ana signs in on node B and gets her three conversations back.
    let (mut ana, frames) = english_agent(node_b.addr, "t-ana", customers as u32).await;
    let mut back: HashSet<String> = HashSet::new();
    for frame in &frames {
        if frame["type"] == "assigned" {
            back.insert(frame["conversation"].as_str().unwrap().to_string());
            note(&mut ana_saw, frame);
        }
    }
    while back.len() < customers {
        let frame = ana.recv_skipping_queue().await;
        if frame["type"] == "assigned" {
            back.insert(frame["conversation"].as_str().unwrap().to_string());
            note(&mut ana_saw, &frame);
        }
    }
    // Customers resume on node B after what they saw, and re-send what was not acknowledged.
    let mut resumed_clients = Vec::new();
    for i in 0..customers {
        let mut client = Client::connect(&format!("{base_b}/v1/chat")).await;
        let welcome = client
            .resume(
                &welcomes[i]["session"],
                &welcomes[i]["token"],
                seen[i].last(),
            )
            .await;
        assert_eq!(welcome["resumed"], true, "{welcome}");
        let last = welcome["last_seq"].as_u64().unwrap();
        read_until(&mut client, &mut seen[i], |s| s.last() >= last).await;
        let id = "m3";
        if !seen[i].acked(id) {
            client
                .send(json!({"type": "message", "id": id, "text": format!("c{i} m3")}))
                .await;
            read_until(&mut client, &mut seen[i], |s| s.acked(id)).await;
        }
        resumed_clients.push(client);
    }
    let mut clients = resumed_clients;
    // The conversations go on through node B.
    for round in 4..6 {
        exchange(
            &mut clients,
            &mut seen,
            &welcomes,
            &mut ana,
            talk(round),
            &mut ana_saw,
            &mut note,
        )
        .await;
    }
    // Live messages sent to Ana during the move, if m3 came then.
    while let Some(frame) = ana.recv_within(Duration::from_millis(500)).await {
        note(&mut ana_saw, &frame);
    }

    // Each transcript, read whole from node B, is exactly what the customer saw: no seq
    // missing, none twice, every message once.
    let mut total_events = 0;
    for i in 0..customers {
        let mut reader = Client::connect(&format!("{base_b}/v1/chat")).await;
        let welcome = reader
            .resume(&welcomes[i]["session"], &welcomes[i]["token"], 0)
            .await;
        let last = welcome["last_seq"].as_u64().unwrap();
        let mut transcript = Vec::new();
        for _ in 0..last {
            transcript.push(reader.recv().await);
        }
        total_events += transcript.len();
        let seqs: Vec<u64> = transcript
            .iter()
            .map(|e| e["seq"].as_u64().unwrap())
            .collect();
        assert_eq!(seqs, (1..=last).collect::<Vec<_>>());
        for seq in 1..=last {
            assert!(
                seen[i].events.contains_key(&seq),
                "customer {i} never got seq {seq}"
            );
        }
        let mut texts: Vec<&str> = transcript
            .iter()
            .filter(|e| e["from"] == "customer" || e["from"] == "agent")
            .map(|e| e["text"].as_str().unwrap())
            .collect();
        for round in 0..6 {
            let said = format!("c{i} m{round}");
            assert_eq!(
                texts.iter().filter(|t| **t == said).count(),
                1,
                "{said} once in {texts:?}"
            );
            assert!(
                ana_saw[&i].contains(&said),
                "Ana never saw {said}: {:?}",
                ana_saw[&i]
            );
            if round != 3 {
                let answer = format!("re c{i} m{round}");
                assert_eq!(texts.iter().filter(|t| **t == answer).count(), 1);
            }
        }
        let before = texts.len();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), before, "a message stored twice");
    }
    println!(
        "SIGKILL of a node: {customers} conversations moved to another node, {total_events} events, none missing or twice"
    );
}

#[tokio::test]
async fn an_agent_whose_socket_dies_or_drops_loses_the_conversation_and_the_customer_is_told() {
    let redis = RedisServer::start().await;
    let url = redis.url();
    let node = Node::start(&[
        ("SWITCHBOARD_REDIS_URL", &url),
        ("SWITCHBOARD_AGENTS", TEAM),
        ("SWITCHBOARD_AGENT_RECONNECT_TIMEOUT_S", "2"),
        ("SWITCHBOARD_PING_INTERVAL_S", "1"),
        ("SWITCHBOARD_PONG_TIMEOUT_S", "5"),
    ])
    .await;
    let (mut ana, _) = english_agent(node.addr, "t-ana", 2).await;
    let mut customer = node.connect().await;
    let welcome = customer.hello(&["en"]).await;
    ask_for_a_human(&mut customer, "1").await;
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    until(&mut customer, Duration::from_secs(10), |f| {
        f["state"] == "assigned"
    })
    .await;
    customer
        .send(json!({"type": "message", "id": "2", "text": "my parcel is broken"}))
        .await;
    until(&mut ana, Duration::from_secs(10), |f| {
        f["text"] == "my parcel is broken"
    })
    .await;

    // Ana's socket goes dead mid-conversation: it stays open but answers nothing, not even
    // pings. After the pong deadline and the reconnect timeout, the customer is back in the
    // queue, and told.
    let dead = ana;
    let requeued = until(&mut customer, Duration::from_secs(30), |f| {
        f["type"] == "handoff" && f["state"] != "assigned"
    })
    .await;
    assert_eq!(requeued["state"], "queued", "{requeued}");
    assert_eq!(requeued["position"], 1);
    assert!(!requeued["text"].as_str().unwrap().is_empty());
    drop(dead);

    // Bo takes it, with the whole transcript; then his connection drops outright.
    let (mut bo, _) = english_agent(node.addr, "t-bo", 2).await;
    bo.send(json!({"type": "next"})).await;
    let assigned = bo.recv_skipping_queue().await;
    assert_eq!(assigned["conversation"], welcome["session"]);
    assert!(assigned["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["text"] == "my parcel is broken"));
    until(&mut customer, Duration::from_secs(10), |f| {
        f["state"] == "assigned"
    })
    .await;
    drop(bo);
    let requeued = until(&mut customer, Duration::from_secs(30), |f| {
        f["type"] == "handoff" && f["state"] != "assigned"
    })
    .await;
    assert_eq!(requeued["state"], "queued", "{requeued}");
}
