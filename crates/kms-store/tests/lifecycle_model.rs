//! Model-based test: random sequences of lifecycle operations (including time moving
//! past scheduled Activation and Deactivation Dates, archiving and recovering) run
//! against the real store on SQLite and against a small reference model written here
//! from the KMIP 1.4 state table. Every result (success or refusal) and every state
//! must agree; nothing may go back to Active.
//!
//! The database lives in /dev/shm when it exists: this test checks the rules, not the
//! disk, and thousands of fsyncs would only slow it down.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, DateTime, ObjectType, RevocationReasonCode,
    State,
};
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::clock::{Clock, ManualClock};
use kms_store::lifecycle::Rules;
use kms_store::sealing::MasterKey;
use kms_store::{
    AttributeSelector, CreateOptions, Identity, ObjectId, RevokeRequest, Store, StoreConfig,
    StoreError,
};
use proptest::prelude::*;

const T0: i64 = 1_000_000;

#[derive(Clone, Debug)]
enum Op {
    /// Create; optionally with Activation / Deactivation Dates relative to now.
    Create {
        activate_in: Option<i64>,
        deactivate_in: Option<i64>,
    },
    Activate(usize),
    Revoke {
        target: usize,
        compromise: bool,
    },
    Destroy(usize),
    Archive(usize),
    Recover(usize),
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (proptest::option::of(-5i64..20), proptest::option::of(0i64..40))
            .prop_map(|(a, d)| Op::Create { activate_in: a, deactivate_in: d }),
        3 => (0usize..4).prop_map(Op::Activate),
        3 => (0usize..4, any::<bool>()).prop_map(|(target, compromise)| Op::Revoke { target, compromise }),
        3 => (0usize..4).prop_map(Op::Destroy),
        1 => (0usize..4).prop_map(Op::Archive),
        1 => (0usize..4).prop_map(Op::Recover),
        2 => (1i64..15).prop_map(Op::Advance),
    ]
}

/// The reference model of one object.
#[derive(Clone, Debug)]
struct Model {
    state: State,
    activation: Option<i64>,
    deactivation: Option<i64>,
    archived: bool,
}

impl Model {
    fn effective(&self, now: i64) -> State {
        let mut s = self.state;
        if s == State::PRE_ACTIVE && self.activation.is_some_and(|a| a <= now) {
            s = State::ACTIVE;
        }
        if s == State::ACTIVE && self.deactivation.is_some_and(|d| d <= now) {
            s = State::DEACTIVATED;
        }
        s
    }

    /// The expected outcome of an operation: Some(new state) or None (refused).
    fn step(&mut self, op: &Op, now: i64) -> Option<()> {
        let s = self.effective(now);
        if self.archived && !matches!(op, Op::Recover(_)) {
            return None;
        }
        let to = match (op, s) {
            (Op::Activate(_), State::PRE_ACTIVE) => {
                self.activation = Some(now);
                State::ACTIVE
            }
            (
                Op::Revoke {
                    compromise: true, ..
                },
                State::PRE_ACTIVE | State::ACTIVE | State::DEACTIVATED,
            ) => State::COMPROMISED,
            (
                Op::Revoke {
                    compromise: true, ..
                },
                State::DESTROYED,
            ) => State::DESTROYED_COMPROMISED,
            (
                Op::Revoke {
                    compromise: false, ..
                },
                State::ACTIVE,
            ) => {
                if self.deactivation.is_none_or(|d| d > now) {
                    self.deactivation = Some(now);
                }
                State::DEACTIVATED
            }
            (Op::Destroy(_), State::PRE_ACTIVE | State::DEACTIVATED) => State::DESTROYED,
            (Op::Destroy(_), State::COMPROMISED) => State::DESTROYED_COMPROMISED,
            (Op::Archive(_), _) => {
                self.archived = true;
                s
            }
            (Op::Recover(_), _) => {
                self.archived = false;
                s
            }
            _ => return None,
        };
        self.state = to;
        Some(())
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn db_dir() -> std::path::PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    base.join(format!("kms-model-{}", ObjectId::generate()))
}

async fn state_of(store: &Store<SqliteBackend>, who: &Identity, id: &ObjectId) -> State {
    let attrs = store
        .get_attributes(
            who,
            id,
            &AttributeSelector {
                names: vec!["State".into()],
            },
        )
        .await
        .unwrap();
    match attrs.first().map(|a| &a.value) {
        Some(AttributeValue::State(s)) => *s,
        other => panic!("no State: {other:?}"),
    }
}

fn run(ops: Vec<Op>, rt: &tokio::runtime::Runtime) -> Result<(), TestCaseError> {
    rt.block_on(async move {
        let dir = db_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let clock = Arc::new(ManualClock::new(T0));
        let store = Store::with_clock(
            SqliteBackend::open(&dir.join("kms.db")).unwrap(),
            Box::new(MasterKey::generate().unwrap()),
            StoreConfig::default(),
            clock.clone(),
        );
        let who = Identity::new("model").unwrap();
        let mut objects: Vec<(ObjectId, Model)> = Vec::new();
        let mut result = Ok(());
        for op in &ops {
            let now = clock.now();
            let pick = |i: usize| (!objects.is_empty()).then(|| i % objects.len());
            let outcome: Option<(usize, Result<(), StoreError>)> = match op {
                Op::Create {
                    activate_in,
                    deactivate_in,
                } => {
                    let mut attrs = vec![
                        Attribute::new(AttributeValue::CryptographicAlgorithm(
                            CryptographicAlgorithm::AES,
                        )),
                        Attribute::new(AttributeValue::CryptographicLength(128)),
                    ];
                    let activation = activate_in.map(|a| now + a);
                    let deactivation = deactivate_in.map(|d| now + d);
                    if let Some(a) = activation {
                        attrs.push(Attribute::new(AttributeValue::ActivationDate(DateTime(a))));
                    }
                    if let Some(d) = deactivation {
                        attrs.push(Attribute::new(AttributeValue::DeactivationDate(DateTime(
                            d,
                        ))));
                    }
                    let id = store
                        .create(
                            &who,
                            ObjectType::SYMMETRIC_KEY,
                            attrs,
                            CreateOptions::default(),
                        )
                        .await
                        .unwrap();
                    objects.push((
                        id,
                        Model {
                            state: State::PRE_ACTIVE,
                            activation,
                            deactivation,
                            archived: false,
                        },
                    ));
                    None
                }
                Op::Advance(s) => {
                    clock.advance(*s);
                    None
                }
                Op::Activate(i)
                | Op::Destroy(i)
                | Op::Archive(i)
                | Op::Recover(i)
                | Op::Revoke { target: i, .. } => {
                    pick(*i).map(|k| (k, ())).map(|(k, ())| (k, Ok(())))
                }
            };
            let Some((k, _)) = outcome else { continue };
            let (id, model) = &mut objects[k];
            let before = model.effective(now);
            let expected = model.step(op, now);
            let got = match op {
                Op::Activate(_) => store.activate(&who, id, Rules::KMIP).await,
                Op::Destroy(_) => store.destroy(&who, id, Rules::KMIP).await,
                Op::Archive(_) => store.archive(&who, id).await,
                Op::Recover(_) => store.recover(&who, id).await,
                Op::Revoke { compromise, .. } => {
                    let code = if *compromise {
                        RevocationReasonCode::KEY_COMPROMISE
                    } else {
                        RevocationReasonCode::SUPERSEDED
                    };
                    store
                        .revoke(&who, id, RevokeRequest::new(code), Rules::KMIP)
                        .await
                }
                _ => unreachable!(),
            };
            if got.is_ok() != expected.is_some() {
                result = Err(TestCaseError::fail(format!(
                    "{op:?} on {before:?}: store {got:?}, model {expected:?}"
                )));
                break;
            }
            if let (Some(()), Ok(())) = (expected, &got) {
                let after = model.effective(now);
                if after == State::ACTIVE
                    && before != State::ACTIVE
                    && !matches!(op, Op::Activate(_) | Op::Recover(_) | Op::Archive(_))
                {
                    result = Err(TestCaseError::fail(format!("{op:?} went back to Active")));
                    break;
                }
            }
            // Every object's state agrees, at every step.
            let now = clock.now();
            for (id, model) in &objects {
                let want = model.effective(now);
                let have = state_of(&store, &who, id).await;
                if have != want {
                    result = Err(TestCaseError::fail(format!(
                        "after {op:?}: store {have:?}, model {want:?}"
                    )));
                    break;
                }
            }
            if result.is_err() {
                break;
            }
        }
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("KMS_MODEL_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn store_agrees_with_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = runtime();
        run(ops, &rt)?;
    }
}
