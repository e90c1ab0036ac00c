//! The SQL of [`IndexQuery`]: one statement, every user value a bind parameter. Only
//! integers this crate produces (states, `now`) and fixed column names are written into
//! the text.

use std::fmt::Write as _;

use tokio_postgres::types::ToSql;

use super::rows::{SELECT_WITH_INDEX, enum_value};
use crate::backend::{DateColumn, IndexQuery, Storage};
use crate::lifecycle::effective_state_sql;

/// A value bound to a parameter.
pub(super) type Param = Box<dyn ToSql + Sync + Send>;

/// A statement and its parameters.
pub(super) struct Statement {
    pub(super) sql: String,
    pub(super) params: Vec<Param>,
}

impl Statement {
    /// The parameters as `tokio-postgres` takes them.
    pub(super) fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }

    /// Binds `value` and returns its placeholder.
    fn bind(&mut self, value: Param) -> String {
        self.params.push(value);
        format!("${}", self.params.len())
    }

    fn and(&mut self, condition: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(condition);
    }
}

/// The SELECT answering `query`.
pub(super) fn locate(query: &IndexQuery) -> Statement {
    let mut st = Statement {
        sql: format!("{SELECT_WITH_INDEX} WHERE TRUE"),
        params: Vec::new(),
    };
    if let Some(owner) = &query.owner {
        let p = st.bind(Box::new(owner.as_str().to_owned()));
        st.and(&format!("owner = {p}"));
    }
    if let Some(t) = query.object_type {
        let p = st.bind(Box::new(enum_value(t.0)));
        st.and(&format!("object_type = {p}"));
    }
    if let Some(state) = query.state {
        st.and(&effective_state_sql(state, query.now));
    }
    match query.storage {
        Storage::Live => st.and("archived = FALSE"),
        Storage::Archived => st.and("archived = TRUE"),
        Storage::Any => {}
    }
    for (key, value) in &query.index {
        let k = st.bind(Box::new(key.clone()));
        let v = st.bind(Box::new(value.clone()));
        st.and(&format!(
            "EXISTS (SELECT 1 FROM object_index i \
             WHERE i.seq = objects.seq AND i.key = {k} AND i.value = {v})"
        ));
    }
    for range in &query.dates {
        let column = match range.column {
            DateColumn::Created => "created",
            DateColumn::LastChange => "last_change",
            DateColumn::Activation => "activation_date",
            DateColumn::Deactivation => "deactivation_date",
        };
        // A record without the date never matches, bounded or not.
        st.and(&format!("{column} IS NOT NULL"));
        if let Some(from) = range.from {
            let p = st.bind(Box::new(from));
            st.and(&format!("{column} >= {p}"));
        }
        if let Some(to) = range.to {
            let p = st.bind(Box::new(to));
            st.and(&format!("{column} <= {p}"));
        }
    }
    let after = st.bind(Box::new(query.after_seq));
    let limit = st.bind(Box::new(i64::from(query.limit)));
    // Writing to a String cannot fail.
    let _ = write!(st.sql, " AND seq > {after} ORDER BY seq LIMIT {limit}");
    st
}

#[cfg(test)]
mod tests {
    use kmip_types::{ObjectType, State};

    use super::*;
    use crate::backend::DateRange;
    use crate::ids::Identity;

    fn query() -> IndexQuery {
        IndexQuery::owned_by(Identity::new("alice").expect("identity"), 100)
    }

    #[test]
    fn user_values_are_parameters() {
        let mut q = query();
        q.object_type = Some(ObjectType::SYMMETRIC_KEY);
        q.state = Some(State::ACTIVE);
        q.index = vec![("name".into(), "x' OR 1=1 --".into())];
        q.dates = vec![DateRange {
            column: DateColumn::Activation,
            from: Some(5),
            to: None,
        }];
        let st = locate(&q);
        assert!(!st.sql.contains("alice"));
        assert!(!st.sql.contains("OR 1=1"));
        assert!(st.sql.contains("i.key = $3 AND i.value = $4"));
        assert!(st.sql.contains("activation_date >= $5"));
        assert!(st.sql.ends_with("seq > $6 ORDER BY seq LIMIT $7"));
        assert_eq!(st.params.len(), 7);
    }

    #[test]
    fn storage_any_adds_no_condition() {
        let mut q = query();
        q.storage = Storage::Any;
        assert!(!locate(&q).sql.contains("archived ="));
    }
}
