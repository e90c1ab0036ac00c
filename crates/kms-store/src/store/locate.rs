//! Locate: the request's attributes become an indexed query (object type, state, names,
//! groups, algorithm, length, links, custom attributes, the four indexed dates) and
//! what no index answers is checked on each candidate. Results come in creation order,
//! a page at a time, so a huge store never gets scanned for a selective query.

use std::collections::BTreeMap;

use kmip_types::{Attribute, AttributeValue, DateTime};

use super::Store;
use super::object::{ManagedObject, index_entry};
use crate::access::{self, Operation};
use crate::backend::{Backend, DateColumn, DateRange, IndexQuery, Storage};
use crate::error::Result;
use crate::ids::{Identity, ObjectId};

/// A Locate request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocateRequest {
    /// Attributes every result must have (one instance of a date attribute: that exact
    /// date; two instances: an inclusive range).
    pub attributes: Vec<Attribute>,
    /// Live, archived or both (Storage Status Mask).
    pub storage: Storage,
    /// Skip this many matches (Offset Items).
    pub offset: u32,
    /// At most this many (Maximum Items; the server's cap applies).
    pub max_items: Option<u32>,
    /// Continue after this position (a previous [`LocateResult::next`]).
    pub after: i64,
}

/// What Locate found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocateResult {
    /// The identifiers, in creation order.
    pub ids: Vec<ObjectId>,
    /// Where the next page starts, when there may be more.
    pub next: Option<i64>,
}

const PAGE: u32 = 256;

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Locate among the caller's objects.
    pub async fn locate(&self, caller: &Identity, request: &LocateRequest) -> Result<LocateResult> {
        let now = self.now();
        let cap = self.inner.config.max_locate;
        let wanted = request.max_items.unwrap_or(cap).min(cap);
        let plan = Plan::new(&request.attributes);
        let mut query = IndexQuery {
            owner: Some(caller.clone()),
            object_type: plan.object_type,
            state: plan.state,
            now,
            storage: request.storage,
            index: plan.index.clone(),
            dates: plan.dates.clone(),
            after_seq: request.after,
            limit: PAGE,
        };
        let mut result = LocateResult::default();
        let mut to_skip = request.offset;
        if wanted == 0 {
            return Ok(result);
        }
        loop {
            let page = self.inner.backend.locate(&query).await?;
            let full = page.len() >= PAGE as usize;
            for record in page {
                query.after_seq = record.seq;
                let seq = record.seq;
                let object = ManagedObject::from_record(record, now)?;
                if access::authorize(caller, &object.owner, &object.attributes, Operation::Read)
                    .is_err()
                    || (plan.state.is_none() && is_destroyed(object.state()))
                    || !plan.residual_matches(&object)
                {
                    continue;
                }
                if to_skip > 0 {
                    to_skip -= 1;
                    continue;
                }
                result.ids.push(object.id);
                if result.ids.len() >= wanted as usize {
                    result.next = Some(seq);
                    return Ok(result);
                }
            }
            if !full {
                return Ok(result);
            }
        }
    }
}

/// Destroyed objects keep their metadata but are not found unless a State is asked
/// for (OASIS SKFF-M-5..7; OVHcloud's server does the same).
fn is_destroyed(state: kmip_types::State) -> bool {
    state == kmip_types::State::DESTROYED || state == kmip_types::State::DESTROYED_COMPROMISED
}

/// How a request's attributes split into indexed conditions and residual checks.
#[derive(Debug, Default)]
struct Plan {
    object_type: Option<kmip_types::ObjectType>,
    state: Option<kmip_types::State>,
    index: Vec<(String, String)>,
    dates: Vec<DateRange>,
    /// Non-date attributes no index answers: some instance must equal each.
    residual: Vec<AttributeValue>,
    /// Other date attributes: name → inclusive range.
    residual_dates: BTreeMap<String, (i64, i64)>,
}

impl Plan {
    fn new(attributes: &[Attribute]) -> Plan {
        let mut plan = Plan::default();
        let mut dates: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for a in attributes {
            match &a.value {
                AttributeValue::ObjectType(t) => plan.object_type = Some(*t),
                AttributeValue::State(s) => plan.state = Some(*s),
                v => {
                    if let Some(d) = date_of(v) {
                        dates.entry(a.name()).or_default().push(d);
                    } else if let Some(entry) = index_entry(v) {
                        plan.index.push((entry.key, entry.value));
                        // Custom attribute values are indexed in a text form that can
                        // merge types (1 and "1"): check the exact value too.
                        if matches!(v, AttributeValue::Custom { .. }) {
                            plan.residual.push(v.clone());
                        }
                    } else {
                        plan.residual.push(v.clone());
                    }
                }
            }
        }
        for (name, values) in dates {
            let from = values.iter().copied().min().unwrap_or(0);
            let to = values.iter().copied().max().unwrap_or(0);
            let column = match name.as_str() {
                "Initial Date" => Some(DateColumn::Created),
                "Last Change Date" => Some(DateColumn::LastChange),
                "Activation Date" => Some(DateColumn::Activation),
                "Deactivation Date" => Some(DateColumn::Deactivation),
                _ => None,
            };
            match column {
                Some(column) => plan.dates.push(DateRange {
                    column,
                    from: Some(from),
                    to: Some(to),
                }),
                None => {
                    plan.residual_dates.insert(name, (from, to));
                }
            }
        }
        plan
    }

    fn residual_matches(&self, object: &ManagedObject) -> bool {
        self.residual
            .iter()
            .all(|want| object.attributes.iter().any(|a| &a.value == want))
            && self.residual_dates.iter().all(|(name, (from, to))| {
                object
                    .attributes
                    .all(name)
                    .filter_map(|a| date_of(&a.value))
                    .any(|d| d >= *from && d <= *to)
            })
    }
}

fn date_of(value: &AttributeValue) -> Option<i64> {
    use AttributeValue as A;
    match value {
        A::InitialDate(DateTime(d))
        | A::ActivationDate(DateTime(d))
        | A::ProcessStartDate(DateTime(d))
        | A::ProtectStopDate(DateTime(d))
        | A::DeactivationDate(DateTime(d))
        | A::DestroyDate(DateTime(d))
        | A::CompromiseOccurrenceDate(DateTime(d))
        | A::CompromiseDate(DateTime(d))
        | A::ArchiveDate(DateTime(d))
        | A::LastChangeDate(DateTime(d))
        | A::OriginalCreationDate(DateTime(d)) => Some(*d),
        _ => None,
    }
}
