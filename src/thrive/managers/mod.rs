//! Audience managers: list, add, replace, remove.
