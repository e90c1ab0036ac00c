//! Locate: an [`IndexQuery`] as one SQL statement over the indexes, every value bound
//! as a parameter. Only column names and the integers of
//! [`effective_state_sql`] are written into the text.
//!
//! Each index pair is `seq IN (SELECT seq FROM object_index WHERE key = ? AND value
//! = ?)`: SQLite can then drive the query from the pair's index (a name lookup reads
//! the few rows of that name, not every object of the owner, as a correlated `EXISTS`
//! would), and a record that repeats a pair is still returned once.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::errors::at;
use super::rows::{self, COLUMNS};
use crate::backend::{DateColumn, IndexQuery, Storage};
use crate::error::StoreError;
use crate::lifecycle::effective_state_sql;
use crate::record::ObjectRecord;

/// The records matching `query`, index entries included, in `seq` order.
pub(super) fn locate(
    conn: &Connection,
    query: &IndexQuery,
) -> Result<Vec<ObjectRecord>, StoreError> {
    let (sql, values) = build(query);
    // Not cached: `effective_state_sql` writes `now` into the text.
    let mut stmt = conn.prepare_cached(&sql).map_err(at("prepare locate"))?;
    let found = stmt
        .query_map(params_from_iter(values), rows::from_row)
        .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
        .map_err(at("locate"))?;
    found
        .into_iter()
        .map(|record| rows::with_index(conn, record))
        .collect()
}

/// The SQL text of `query` and the values of its parameters, in order.
pub(super) fn build(query: &IndexQuery) -> (String, Vec<Value>) {
    let mut sql = format!("SELECT {COLUMNS} FROM objects WHERE seq > ?");
    let mut values = vec![Value::Integer(query.after_seq)];
    if let Some(owner) = &query.owner {
        sql.push_str(" AND owner = ?");
        values.push(Value::Text(owner.as_str().to_owned()));
    }
    if let Some(object_type) = query.object_type {
        sql.push_str(" AND object_type = ?");
        values.push(Value::Integer(object_type.0.into()));
    }
    if let Some(state) = query.state {
        sql.push_str(" AND ");
        sql.push_str(&effective_state_sql(state, query.now));
    }
    match query.storage {
        Storage::Live => sql.push_str(" AND archived = 0"),
        Storage::Archived => sql.push_str(" AND archived = 1"),
        Storage::Any => {}
    }
    for (key, value) in &query.index {
        // `seq > ?` again inside: a later page does not gather earlier matches.
        sql.push_str(
            " AND seq IN (SELECT seq FROM object_index WHERE key = ? AND value = ? AND seq > ?)",
        );
        values.push(Value::Text(key.clone()));
        values.push(Value::Text(value.clone()));
        values.push(Value::Integer(query.after_seq));
    }
    for range in &query.dates {
        let column = column_name(range.column);
        // NULL compares as unknown, so an absent date never matches; said explicitly
        // for a range with no bounds.
        sql.push_str(&format!(" AND {column} IS NOT NULL"));
        if let Some(from) = range.from {
            sql.push_str(&format!(" AND {column} >= ?"));
            values.push(Value::Integer(from));
        }
        if let Some(to) = range.to {
            sql.push_str(&format!(" AND {column} <= ?"));
            values.push(Value::Integer(to));
        }
    }
    sql.push_str(" ORDER BY seq LIMIT ?");
    values.push(Value::Integer(query.limit.into()));
    (sql, values)
}

fn column_name(column: DateColumn) -> &'static str {
    match column {
        DateColumn::Created => "created",
        DateColumn::LastChange => "last_change",
        DateColumn::Activation => "activation_date",
        DateColumn::Deactivation => "deactivation_date",
    }
}

#[cfg(test)]
mod tests {
    use kmip_types::{ObjectType, State};

    use super::*;
    use crate::backend::DateRange;
    use crate::ids::Identity;

    fn plan(query: &IndexQuery) -> Vec<String> {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        let (sql, values) = build(query);
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map(params_from_iter(values), |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn owner() -> Identity {
        Identity::new("alice").unwrap()
    }

    fn assert_no_scan(plan: &[String]) {
        assert!(
            plan.iter().all(|step| !step.starts_with("SCAN")),
            "a step scans: {plan:#?}"
        );
    }

    #[test]
    fn name_lookup_is_driven_by_the_pair_index() {
        let mut query = IndexQuery::owned_by(owner(), 0);
        query.index.push(("name".into(), "k1".into()));
        let plan = plan(&query);
        assert_no_scan(&plan);
        assert!(
            plan.iter().any(|s| s.contains("object_index_pair")),
            "{plan:#?}"
        );
    }

    #[test]
    fn name_lookup_for_any_owner_uses_indexes() {
        let mut query = IndexQuery::owned_by(owner(), 0);
        query.owner = None;
        query.index.push(("name".into(), "k1".into()));
        assert_no_scan(&plan(&query));
    }

    #[test]
    fn owner_and_type_use_their_index() {
        let mut query = IndexQuery::owned_by(owner(), 0);
        query.object_type = Some(ObjectType::SYMMETRIC_KEY);
        let plan = plan(&query);
        assert_no_scan(&plan);
        assert!(
            plan.iter().any(|s| s.contains("objects_owner_type")),
            "{plan:#?}"
        );
    }

    #[test]
    fn owner_state_and_dates_stay_on_the_owner() {
        let mut query = IndexQuery::owned_by(owner(), 100);
        query.state = Some(State::ACTIVE);
        query.dates.push(DateRange {
            column: DateColumn::Created,
            from: Some(1),
            to: None,
        });
        let plan = plan(&query);
        assert_no_scan(&plan);
        assert!(
            plan.iter().all(|s| !s.contains("TEMP B-TREE")),
            "sorts: {plan:#?}"
        );
    }

    #[test]
    fn values_are_bound_not_written() {
        let mut query = IndexQuery::owned_by(Identity::new("o'wner").unwrap(), 0);
        query.index.push(("na'me".into(), "v'alue".into()));
        let (sql, values) = build(&query);
        assert!(!sql.contains('\''), "{sql}");
        assert_eq!(values.len(), 6);
    }
}
