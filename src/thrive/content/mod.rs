//! Content records: get, query.
