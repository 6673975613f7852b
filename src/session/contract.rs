//! The contract of a [`SessionStore`], as one function every store's tests call.

use super::{ConversationState, Recorded, SessionStore, StoreError};
use crate::protocol::{From, MessageEvent, Visible};

fn event(from: From, text: &str) -> Visible {
    Visible::Message(MessageEvent {
        seq: 0,
        from,
        text: text.to_string(),
        locale: "en".into(),
        at: "2026-01-01T00:00:00Z".into(),
        bot: None,
        agent: None,
    })
}

/// With a store whose idle timeout is `idle` (short: this waits for it to pass): a resume with
/// a wrong token does not keep a session alive; one with the right token does.
pub async fn idle_timeout(store: &dyn SessionStore, idle: std::time::Duration) {
    let probed = store.create(ConversationState::default()).await.unwrap();
    let kept = store.create(ConversationState::default()).await.unwrap();
    tokio::time::sleep(idle * 6 / 10).await;
    assert_eq!(
        store.resume(&probed.id, "not-the-token").await.map(|_| ()),
        Err(StoreError::BadToken)
    );
    store.resume(&kept.id, kept.token.expose()).await.unwrap();
    tokio::time::sleep(idle * 6 / 10).await;
    assert_eq!(
        store
            .resume(&probed.id, probed.token.expose())
            .await
            .map(|_| ()),
        Err(StoreError::NotFound),
        "a resume with a wrong token kept the session alive"
    );
    store
        .resume(&kept.id, kept.token.expose())
        .await
        .expect("a resume with the right token keeps the session alive");
}

/// Runs every check; panics on the first broken one.
pub async fn run(store: &dyn SessionStore) {
    let state = ConversationState {
        negotiated: Some("es".into()),
        ..Default::default()
    };
    let s = store.create(state.clone()).await.unwrap();
    assert_eq!(s.last_seq, 0);
    assert_eq!(s.state, state);
    let other = store.create(ConversationState::default()).await.unwrap();
    assert_ne!(s.id, other.id);
    assert_ne!(s.token, other.token);

    // seq from 1, one per event, client ids recorded once.
    assert_eq!(
        store
            .record_message(&s.id, "m1", event(From::Customer, "hi"))
            .await
            .unwrap(),
        Recorded::New { seq: 1 }
    );
    assert_eq!(
        store
            .record_message(&s.id, "m1", event(From::Customer, "hi"))
            .await
            .unwrap(),
        Recorded::Duplicate {
            seq: 1,
            answered: false
        }
    );
    assert_eq!(
        store
            .append(&s.id, event(From::Bot, "hello"), Some("m1"))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .record_message(&s.id, "m1", event(From::Customer, "hi"))
            .await
            .unwrap(),
        Recorded::Duplicate {
            seq: 1,
            answered: true
        }
    );
    assert_eq!(
        store
            .record_message(&s.id, "m2", event(From::Customer, "to the agent"))
            .await
            .unwrap(),
        Recorded::New { seq: 3 }
    );
    store.mark_answered(&s.id, "m2").await.unwrap();
    assert_eq!(
        store
            .record_message(&s.id, "m2", event(From::Customer, "again"))
            .await
            .unwrap(),
        Recorded::Duplicate {
            seq: 3,
            answered: true
        }
    );
    let after = store.events_after(&s.id, 1).await.unwrap();
    assert_eq!(
        after.iter().map(Visible::seq).collect::<Vec<_>>(),
        vec![2, 3]
    );
    match &after[0] {
        Visible::Message(m) => assert_eq!(m.text, "hello"),
        other => panic!("{other:?}"),
    }
    assert!(store.events_after(&s.id, 3).await.unwrap().is_empty());

    // Resume needs the token.
    let resumed = store.resume(&s.id, s.token.expose()).await.unwrap();
    assert_eq!(resumed.last_seq, 3);
    assert_eq!(
        store.resume(&s.id, "guess").await,
        Err(StoreError::BadToken)
    );
    assert_eq!(
        store
            .resume(&"unknown".parse().unwrap(), s.token.expose())
            .await,
        Err(StoreError::NotFound)
    );

    // State.
    let mut changed = state.clone();
    changed.explicit_locale = Some("fr".into());
    store.save_state(&s.id, &changed).await.unwrap();
    assert_eq!(store.state(&s.id).await.unwrap(), changed);

    // Gone sessions refuse writes with NotFound, and nothing is created by accident.
    assert_eq!(store.exists(&s.id).await, Ok(true));
    store.remove(&s.id).await.unwrap();
    assert_eq!(store.exists(&s.id).await, Ok(false));
    assert_eq!(
        store.resume(&s.id, s.token.expose()).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.append(&s.id, event(From::Bot, "late"), None).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .record_message(&s.id, "m9", event(From::Customer, "late"))
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.events_after(&s.id, 0).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.state(&s.id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.save_state(&s.id, &state).await,
        Err(StoreError::NotFound)
    );
    store.ping().await.unwrap();
}
