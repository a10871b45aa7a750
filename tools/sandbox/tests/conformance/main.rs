//! Conformance tests for the Thrive sandbox, written from the documented
//! examples and rules (shared/thrive-api/*.md), with raw HTTP requests.

mod client;

mod assignments;
mod audiences;
mod auth;
mod catalogue;
mod faults;
mod pagination;
mod users;
