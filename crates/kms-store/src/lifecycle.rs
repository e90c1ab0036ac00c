//! The key lifecycle (KMIP 1.4 §3.22, NIST SP 800-57): one checked transition function
//! for the explicit operations (Activate, Revoke, Destroy), one function for the
//! date-driven transitions, and which uses each state allows. Frontends that need other
//! semantics (the OVHcloud REST API) pass [`Rules`]; there is no second state machine.
//!
//! Transitions (numbers as in the KMIP 1.4 state figure):
//!
//! | from | event | to |
//! |---|---|---|
//! | Pre-Active | Activate, or Activation Date reached | Active |
//! | Pre-Active | Revoke (compromise) | Compromised |
//! | Pre-Active | Destroy | Destroyed |
//! | Active | Revoke (other reason), or Deactivation Date reached | Deactivated |
//! | Active | Revoke (compromise) | Compromised |
//! | Deactivated | Revoke (compromise) | Compromised |
//! | Deactivated | Destroy | Destroyed |
//! | Compromised | Destroy | Destroyed Compromised |
//! | Destroyed | Revoke (compromise) | Destroyed Compromised |
//!
//! Everything else is refused with [`StoreError::WrongState`]: in particular Destroy of
//! an Active object (SKLC-M-2-14), Activate of anything but a Pre-Active object, and a
//! non-compromise Revoke of anything but an Active object. Nothing leads back to Active
//! unless [`Rules::reactivate`] is set (the REST API's observed behaviour).

use kmip_types::State;

use crate::error::{Result, StoreError};

/// An explicit lifecycle event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Activate.
    Activate,
    /// Revoke; `compromise` for the Key Compromise and CA Compromise reasons.
    Revoke {
        /// True for a compromise reason.
        compromise: bool,
    },
    /// Destroy (the material goes, the metadata stays).
    Destroy,
}

impl Event {
    fn operation(self) -> &'static str {
        match self {
            Event::Activate => "Activate",
            Event::Revoke { .. } => "Revoke",
            Event::Destroy => "Destroy",
        }
    }
}

/// Per-frontend variations of the transitions. The default is KMIP's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// An event that would leave the state unchanged succeeds instead of being refused
    /// (Activate of an Active key, a second non-compromise Revoke of a Deactivated key).
    pub idempotent: bool,
    /// Activate brings a Deactivated or Compromised key back to Active (clearing its
    /// Deactivation and Compromise dates). Never a Destroyed one.
    pub reactivate: bool,
}

impl Rules {
    /// KMIP's rules.
    pub const KMIP: Rules = Rules {
        idempotent: false,
        reactivate: false,
    };
    /// The OVHcloud REST API's rules: activate is idempotent and reactivates.
    pub const REST: Rules = Rules {
        idempotent: true,
        reactivate: true,
    };
}

/// The state after `event` on an object in `from`, or why it is refused. `from` must be
/// the effective state (date-driven transitions applied, see [`effective_state`]).
pub fn transition(from: State, event: Event, rules: Rules) -> Result<State> {
    let refused = || StoreError::WrongState {
        operation: event.operation(),
        state: from,
    };
    let to = match (from, event) {
        (State::PRE_ACTIVE, Event::Activate) => State::ACTIVE,
        (State::ACTIVE, Event::Activate) if rules.idempotent => State::ACTIVE,
        (State::DEACTIVATED | State::COMPROMISED, Event::Activate) if rules.reactivate => {
            State::ACTIVE
        }

        (
            State::PRE_ACTIVE | State::ACTIVE | State::DEACTIVATED,
            Event::Revoke { compromise: true },
        ) => State::COMPROMISED,
        (State::COMPROMISED, Event::Revoke { compromise: true }) if rules.idempotent => {
            State::COMPROMISED
        }
        (State::DESTROYED, Event::Revoke { compromise: true }) => State::DESTROYED_COMPROMISED,
        (State::DESTROYED_COMPROMISED, Event::Revoke { compromise: true }) if rules.idempotent => {
            State::DESTROYED_COMPROMISED
        }
        (State::ACTIVE, Event::Revoke { compromise: false }) => State::DEACTIVATED,
        (State::DEACTIVATED, Event::Revoke { compromise: false }) if rules.idempotent => {
            State::DEACTIVATED
        }

        (State::PRE_ACTIVE | State::DEACTIVATED, Event::Destroy) => State::DESTROYED,
        (State::COMPROMISED, Event::Destroy) => State::DESTROYED_COMPROMISED,

        _ => return Err(refused()),
    };
    Ok(to)
}

/// The state at `now` of an object stored in `stored` with these dates (seconds since
/// the Unix epoch): a Pre-Active object whose Activation Date has passed is Active, an
/// Active one whose Deactivation Date has passed is Deactivated (both in turn).
pub fn effective_state(
    stored: State,
    activation: Option<i64>,
    deactivation: Option<i64>,
    now: i64,
) -> State {
    let mut state = stored;
    if state == State::PRE_ACTIVE && activation.is_some_and(|a| a <= now) {
        state = State::ACTIVE;
    }
    if state == State::ACTIVE && deactivation.is_some_and(|d| d <= now) {
        state = State::DEACTIVATED;
    }
    state
}

/// The SQL condition "the effective state at `now` is `state`" over the columns
/// `state`, `activation_date` and `deactivation_date` (integers): the same rule as
/// [`effective_state`], for both backends. `now` and the state values are integers this
/// crate produces, written as literals.
pub fn effective_state_sql(state: State, now: i64) -> String {
    let pre = State::PRE_ACTIVE.0;
    let active = State::ACTIVE.0;
    let activated = format!("(state = {active} OR (state = {pre} AND activation_date <= {now}))");
    let not_deactivated = format!("(deactivation_date IS NULL OR deactivation_date > {now})");
    match state {
        State::PRE_ACTIVE => {
            format!("(state = {pre} AND (activation_date IS NULL OR activation_date > {now}))")
        }
        State::ACTIVE => format!("({activated} AND {not_deactivated})"),
        State::DEACTIVATED => format!(
            "(state = {} OR ({activated} AND deactivation_date <= {now}))",
            State::DEACTIVATED.0
        ),
        other => format!("(state = {})", other.0),
    }
}

/// A use of an object's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Applying protection: Encrypt, Sign, MAC, wrapping another key.
    Protect,
    /// Processing protected data: Decrypt, Signature Verify, MAC Verify, unwrapping.
    Process,
}

/// Whether an object in `state` (effective) may be used for `usage`. Active objects
/// may do both; Deactivated and Compromised objects may process only when the
/// frontend's policy grants it (KMIP 1.4 §3.22: "only under extraordinary
/// circumstances and when special permission is granted").
pub fn allows(state: State, usage: Use, process_retired: bool) -> bool {
    match (state, usage) {
        (State::ACTIVE, _) => true,
        (State::DEACTIVATED | State::COMPROMISED, Use::Process) => process_retired,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [State; 6] = [
        State::PRE_ACTIVE,
        State::ACTIVE,
        State::DEACTIVATED,
        State::COMPROMISED,
        State::DESTROYED,
        State::DESTROYED_COMPROMISED,
    ];
    const EVENTS: [Event; 4] = [
        Event::Activate,
        Event::Revoke { compromise: false },
        Event::Revoke { compromise: true },
        Event::Destroy,
    ];

    /// The KMIP table, written out in full: every state × every event.
    #[test]
    fn kmip_table() {
        use State as S;
        let expected: [[Option<State>; 4]; 6] = [
            [
                Some(S::ACTIVE),
                None,
                Some(S::COMPROMISED),
                Some(S::DESTROYED),
            ],
            [None, Some(S::DEACTIVATED), Some(S::COMPROMISED), None],
            [None, None, Some(S::COMPROMISED), Some(S::DESTROYED)],
            [None, None, None, Some(S::DESTROYED_COMPROMISED)],
            [None, None, Some(S::DESTROYED_COMPROMISED), None],
            [None, None, None, None],
        ];
        for (s, row) in STATES.iter().zip(expected) {
            for (e, want) in EVENTS.iter().zip(row) {
                let got = transition(*s, *e, Rules::KMIP).ok();
                assert_eq!(got, want, "{s:?} {e:?}");
            }
        }
    }

    #[test]
    fn nothing_returns_to_active_under_kmip_rules() {
        for s in [
            S::DEACTIVATED,
            S::COMPROMISED,
            S::DESTROYED,
            S::DESTROYED_COMPROMISED,
        ] {
            for e in EVENTS {
                assert_ne!(transition(s, e, Rules::KMIP).ok(), Some(S::ACTIVE));
            }
        }
    }
    use State as S;

    #[test]
    fn rest_rules() {
        assert_eq!(
            transition(S::ACTIVE, Event::Activate, Rules::REST).ok(),
            Some(S::ACTIVE)
        );
        assert_eq!(
            transition(S::COMPROMISED, Event::Activate, Rules::REST).ok(),
            Some(S::ACTIVE)
        );
        assert_eq!(
            transition(S::DEACTIVATED, Event::Activate, Rules::REST).ok(),
            Some(S::ACTIVE)
        );
        assert!(transition(S::DESTROYED, Event::Activate, Rules::REST).is_err());
        assert!(transition(S::ACTIVE, Event::Destroy, Rules::REST).is_err());
        assert_eq!(
            transition(
                S::DEACTIVATED,
                Event::Revoke { compromise: false },
                Rules::REST
            )
            .ok(),
            Some(S::DEACTIVATED)
        );
    }

    #[test]
    fn dates_drive_the_state() {
        assert_eq!(
            effective_state(S::PRE_ACTIVE, Some(10), None, 9),
            S::PRE_ACTIVE
        );
        assert_eq!(
            effective_state(S::PRE_ACTIVE, Some(10), None, 10),
            S::ACTIVE
        );
        assert_eq!(
            effective_state(S::PRE_ACTIVE, Some(10), Some(20), 20),
            S::DEACTIVATED
        );
        assert_eq!(effective_state(S::ACTIVE, None, Some(20), 19), S::ACTIVE);
        assert_eq!(
            effective_state(S::ACTIVE, None, Some(20), 21),
            S::DEACTIVATED
        );
        assert_eq!(
            effective_state(S::PRE_ACTIVE, None, Some(20), 21),
            S::PRE_ACTIVE
        );
        assert_eq!(
            effective_state(S::COMPROMISED, Some(1), Some(2), 30),
            S::COMPROMISED
        );
    }

    /// The SQL form agrees with the Rust form, evaluated by SQLite over every
    /// combination of stored state and dates around `now`.
    #[test]
    fn sql_form_agrees() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let dates = [None, Some(5), Some(10), Some(15)];
        let now = 10;
        for stored in STATES {
            for a in dates {
                for d in dates {
                    let want = effective_state(stored, a, d, now);
                    for s in STATES {
                        let sql = format!(
                            "SELECT {} FROM (SELECT ?1 AS state, ?2 AS activation_date, ?3 AS deactivation_date)",
                            effective_state_sql(s, now)
                        );
                        let hit: bool = db
                            .query_row(&sql, rusqlite::params![stored.0, a, d], |r| r.get(0))
                            .unwrap_or(false);
                        assert_eq!(hit, s == want, "{stored:?} {a:?} {d:?} as {s:?}");
                    }
                }
            }
        }
    }
}
