//! Learning completions: list, get, create.
