//! Activity records: get, query.
