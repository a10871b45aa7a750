//! Audiences and structures: list, create, get, update (and move), delete.
