//! Enrolments of an assignment: list, get.
