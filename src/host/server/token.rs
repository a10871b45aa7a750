//! The servers' bearer token: `Authorization: Bearer <token>`, compared in
//! time that does not depend on how much of it a caller guessed.

use axum::http::{HeaderMap, header};

/// Whether `headers` carry `Authorization: Bearer <expected>`, compared
/// in constant time.
pub fn bearer_matches(headers: &HeaderMap, expected: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && constant_time_eq(expected.as_bytes(), token.trim().as_bytes())
}

/// Compares `given` with `expected` in time that depends only on the
/// length of `expected`.
fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    let mut diff = u8::from(expected.len() != given.len());
    for (i, e) in expected.iter().enumerate() {
        diff |= e ^ given.get(i).copied().unwrap_or(!e);
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::{bearer_matches, constant_time_eq};
    use axum::http::{HeaderMap, HeaderValue, header};

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"secret", b"secre"));
        assert!(!constant_time_eq(b"secret", b""));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case_and_the_token_exactly() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            headers
        };
        assert!(bearer_matches(&with("Bearer hunter2"), "hunter2"));
        assert!(bearer_matches(&with("bearer  hunter2 "), "hunter2"));
        assert!(!bearer_matches(&with("Bearer hunter3"), "hunter2"));
        assert!(!bearer_matches(&with("Basic hunter2"), "hunter2"));
        assert!(!bearer_matches(&HeaderMap::new(), "hunter2"));
    }
}
