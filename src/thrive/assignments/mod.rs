//! Compliance assignments: list, create, get, update, delete.
