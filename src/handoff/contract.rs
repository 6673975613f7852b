//! The contract of a [`HandoffBackend`], as one function every backend's tests call. It uses
//! fresh random ids, so it can run against a shared server.

use std::sync::Arc;
use std::time::Duration;

use super::{now_ms, AgentRef, HandoffBackend, HandoffError, Note, Status, Ticket, Topic};
use crate::ids::random_hex;
use crate::ids::{Locale, SessionId};
use crate::protocol::{HandoffContext, NoteKind, Presence, PrivateNote};

fn ticket(conversation: &SessionId, locale: &Locale, enqueued_ms: u64) -> Ticket {
    let mut ticket = Ticket::new(
        conversation,
        locale,
        format!("preview of {conversation}"),
        HandoffContext {
            reason: "requested".into(),
            ..Default::default()
        },
    );
    ticket.enqueued_ms = enqueued_ms;
    ticket
}

fn agent(id: &str) -> AgentRef {
    AgentRef {
        id: id.parse().unwrap(),
        name: format!("Agent {id}"),
    }
}

async fn queued(backend: &dyn HandoffBackend, conversation: &SessionId) -> Option<(Locale, u32)> {
    match backend.status(conversation).await.expect("status") {
        Status::Queued { locale, position } => Some((locale, position)),
        _ => None,
    }
}

/// Runs every check; panics on the first broken one.
pub async fn run(backend: Arc<dyn HandoffBackend>) {
    let run = random_hex(4);
    // Locales unique to this run, so that shared servers and parallel runs do not interfere.
    let tag = |language: &str| -> Locale { format!("{language}-x-{run}").parse().unwrap() };
    let (es, de) = (tag("es"), tag("de"));
    let id = |name: &str| -> SessionId { format!("{run}-{name}").parse().unwrap() };
    let b = backend.as_ref();
    let base = now_ms();

    // Enqueue: positions in time order, idempotent, notes on the queue topic.
    let mut queue_notes = b.notifier().subscribe(Topic::Queues);
    let first = b.enqueue(ticket(&id("c1"), &es, base)).await.unwrap();
    assert_eq!(
        first,
        Status::Queued {
            locale: es.clone(),
            position: 1
        }
    );
    b.enqueue(ticket(&id("c2"), &es, base + 10)).await.unwrap();
    b.enqueue(ticket(&id("c0"), &es, base - 10)).await.unwrap();
    assert_eq!(queued(b, &id("c0")).await, Some((es.clone(), 1)));
    assert_eq!(queued(b, &id("c1")).await, Some((es.clone(), 2)));
    let again = b.enqueue(ticket(&id("c1"), &es, base + 99)).await.unwrap();
    assert_eq!(
        again,
        Status::Queued {
            locale: es.clone(),
            position: 2
        },
        "idempotent"
    );
    let note = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match queue_notes.recv().await {
                Ok(Note::QueueChanged {
                    locale: Some(locale),
                }) if locale == es => return locale,
                Ok(_) => continue,
                Err(e) => panic!("queue notes: {e}"),
            }
        }
    })
    .await
    .expect("a queue change is announced");
    assert_eq!(note, es);
    b.enqueue(ticket(&id("d1"), &de, base + 5)).await.unwrap();
    let waiting: Vec<SessionId> = b
        .waiting(std::slice::from_ref(&es))
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.conversation)
        .collect();
    assert_eq!(waiting, vec![id("c0"), id("c1"), id("c2")]);
    assert_eq!(b.waiting(&[es.clone(), de.clone()]).await.unwrap().len(), 4);
    assert_eq!(b.status(&id("nobody")).await.unwrap(), Status::Bot);

    // Amend: a queued ticket changes in place, keeping its place; what routes it stays.
    let amended = b
        .amend(&id("c1"), None, &|t: &mut Ticket| {
            t.preview = "latest words".into();
            t.presence = Presence::Away;
            t.locale = "xx".parse().unwrap();
        })
        .await
        .unwrap();
    assert_eq!(
        (
            amended.preview.as_str(),
            amended.presence,
            amended.locale.as_str()
        ),
        ("latest words", Presence::Away, es.as_str())
    );
    assert_eq!(queued(b, &id("c1")).await, Some((es.clone(), 2)));
    let listed = b.waiting(std::slice::from_ref(&es)).await.unwrap();
    assert_eq!(listed[1].preview, "latest words");
    assert_eq!(
        b.amend(
            &id("c1"),
            Some(&"someone".parse().unwrap()),
            &|_: &mut Ticket| {}
        )
        .await,
        Err(HandoffError::NotFound),
        "only an owner's when an owner is named"
    );
    assert_eq!(
        b.amend(&id("nobody"), None, &|_: &mut Ticket| {}).await,
        Err(HandoffError::NotFound)
    );

    // Claim: exactly one owner.
    let (ana, bo) = (agent(id("ana").as_str()), agent(id("bo").as_str()));
    let claimed = b.claim(&id("c1"), &ana).await.unwrap();
    assert_eq!(claimed.conversation, id("c1"));
    assert_eq!(claimed.enqueued_ms, base);
    assert!(
        matches!(b.status(&id("c1")).await.unwrap(), Status::Assigned { agent, .. } if agent == ana)
    );
    assert_eq!(b.claim(&id("c1"), &bo).await, Err(HandoffError::Conflict));
    assert!(
        b.claim(&id("c1"), &ana).await.is_ok(),
        "re-claiming one's own is fine"
    );
    assert_eq!(
        b.claim(&id("ghost"), &bo).await,
        Err(HandoffError::NotFound)
    );
    assert_eq!(
        queued(b, &id("c2")).await,
        Some((es.clone(), 2)),
        "positions move up"
    );
    assert_eq!(b.recent_assignments(&es).await.unwrap().len(), 1);

    // Next passes over a customer who left (claimable by name only), whatever their wait.
    let fr = tag("fr");
    let (gone, here) = (id("gone"), id("here"));
    b.enqueue(ticket(&gone, &fr, base - 1_000)).await.unwrap();
    b.amend(&gone, None, &|t: &mut Ticket| t.presence = Presence::Left)
        .await
        .unwrap();
    let skipped = b.claim_next(&ana, std::slice::from_ref(&fr)).await.unwrap();
    assert_eq!(skipped, None, "only a customer who left waits in {fr}");
    b.enqueue(ticket(&here, &fr, base)).await.unwrap();
    let taken = b
        .claim_next(&ana, std::slice::from_ref(&fr))
        .await
        .unwrap()
        .map(|t| t.conversation);
    assert_eq!(taken, Some(here.clone()), "the one still here");
    assert_eq!(b.cancel(&gone).await.unwrap(), None);
    assert_eq!(b.cancel(&here).await.unwrap(), Some(ana.clone()));

    // Next: the longest-waiting of the agent's locales.
    let next = b
        .claim_next(&bo, &[es.clone(), de.clone()])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.conversation, id("c0"));
    let next = b
        .claim_next(&bo, std::slice::from_ref(&de))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.conversation, id("d1"));
    assert_eq!(
        b.claim_next(&bo, std::slice::from_ref(&de)).await.unwrap(),
        None
    );
    assert_eq!(b.owned_by(&bo.id).await.unwrap().len(), 2);

    // The owner's notes stay with the ticket, also through a transfer.
    let note = PrivateNote {
        kind: NoteKind::Note,
        author: crate::protocol::AgentRef {
            name: bo.name.clone(),
        },
        text: "asked twice about the refund".into(),
        at: crate::protocol::now_rfc3339(),
        from_locale: None,
    };
    let noted = b
        .amend(&id("c0"), Some(&bo.id), &|t: &mut Ticket| {
            t.notes.push(note.clone())
        })
        .await
        .unwrap();
    assert_eq!(noted.notes, vec![note.clone()]);
    assert_eq!(
        b.amend(&id("c0"), Some(&ana.id), &|_: &mut Ticket| {})
            .await,
        Err(HandoffError::NotFound),
        "not another agent's"
    );

    // Finish and transfer only by the owner.
    assert_eq!(
        b.finish(&id("c1"), &bo.id).await,
        Err(HandoffError::NotFound)
    );
    assert_eq!(
        b.finish(&id("c1"), &ana.id).await.unwrap().conversation,
        id("c1")
    );
    assert_eq!(b.status(&id("c1")).await.unwrap(), Status::Bot);
    assert_eq!(
        b.transfer(&id("c0"), &ana.id, &de).await,
        Err(HandoffError::NotFound)
    );
    let moved = b.transfer(&id("c0"), &bo.id, &de).await.unwrap();
    assert_eq!(
        moved,
        Status::Queued {
            locale: de.clone(),
            position: 1
        },
        "keeps its place in time"
    );
    let transferred = b.waiting(std::slice::from_ref(&de)).await.unwrap();
    assert_eq!(transferred[0].notes, vec![note], "notes travel with it");

    // Cancel: the customer left.
    assert_eq!(b.cancel(&id("c0")).await.unwrap(), None);
    assert_eq!(b.status(&id("c0")).await.unwrap(), Status::Bot);
    assert_eq!(b.cancel(&id("d1")).await.unwrap(), Some(bo.clone()));

    // Presence and the requeue of a vanished agent's conversations.
    assert_eq!(b.agents_online(&es).await.unwrap(), 0);
    b.agent_ready(&ana, std::slice::from_ref(&es))
        .await
        .unwrap();
    assert_eq!(b.agents_online(&es).await.unwrap(), 1);
    assert_eq!(b.agents_online(&de).await.unwrap(), 0);
    b.claim(&id("c2"), &ana).await.unwrap();
    let stale = b.agent_gone(&ana.id).await.unwrap();
    assert_eq!(b.agents_online(&es).await.unwrap(), 0);
    b.agent_ready(&ana, std::slice::from_ref(&es))
        .await
        .unwrap();
    assert!(
        b.requeue_if_gone(&ana.id, stale).await.unwrap().is_empty(),
        "came back in time"
    );
    let mark = b.agent_gone(&ana.id).await.unwrap();
    let requeued = b.requeue_if_gone(&ana.id, mark).await.unwrap();
    assert_eq!(requeued.len(), 1);
    assert_eq!(queued(b, &id("c2")).await, Some((es.clone(), 1)));

    // An agent whose heartbeat stops while marked online (its node died) is reaped, once.
    let dora = agent(id("dora").as_str());
    b.agent_ready(&dora, std::slice::from_ref(&de))
        .await
        .unwrap();
    b.heartbeat(&dora.id, 1).await.unwrap();
    b.enqueue(ticket(&id("d2"), &de, base)).await.unwrap();
    b.claim(&id("d2"), &dora).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let reaped = b.reap().await.unwrap();
    if b.kind() == "memory" {
        assert!(reaped.is_empty(), "one node: nothing to reap");
        b.cancel(&id("d2")).await.unwrap();
    } else {
        assert_eq!(
            reaped
                .iter()
                .map(|t| t.conversation.clone())
                .collect::<Vec<_>>(),
            vec![id("d2")]
        );
        assert_eq!(queued(b, &id("d2")).await, Some((de.clone(), 1)));
        assert!(b.reap().await.unwrap().is_empty(), "reaped once");
        assert_eq!(b.agents_online(&de).await.unwrap(), 0);
        b.cancel(&id("d2")).await.unwrap();
    }

    // Concurrent claims: one winner.
    let contested = id("contested");
    b.enqueue(ticket(&contested, &es, base)).await.unwrap();
    let mut tasks = Vec::new();
    for n in 0..16 {
        let backend = backend.clone();
        let contested = contested.clone();
        let who = agent(id(&format!("racer{n}")).as_str());
        tasks.push(tokio::spawn(async move {
            backend.claim(&contested, &who).await
        }));
    }
    let mut winners = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => winners += 1,
            Err(HandoffError::Conflict) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(winners, 1);

    // Notes reach the subscribers of a topic.
    let customer = Topic::Customer(id("c2"));
    let mut notes = b.notifier().subscribe(customer.clone());
    b.publish(customer, Note::Events).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), notes.recv())
        .await
        .expect("note in time")
        .unwrap();
    assert_eq!(got, Note::Events);
    b.cancel(&id("c2")).await.unwrap();
    b.cancel(&contested).await.unwrap();
}
