//! Transport errors in words: what reqwest's error chain says, and whether
//! it is a refused TLS certificate (permanent, never retried). Shared by the
//! exchange and the OAuth token request.

/// Whether a transport error is a refused TLS certificate (unknown issuer,
/// wrong name, expired, ...): a permanent failure, never retried.
pub(crate) fn is_certificate_error(e: &reqwest::Error) -> bool {
    use std::error::Error as _;
    let is_cert = |err: &(dyn std::error::Error + 'static)| {
        let tls = err.downcast_ref::<rustls::Error>().or_else(|| {
            err.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        matches!(
            tls,
            Some(
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::InvalidCertRevocationList(_)
            )
        )
    };
    let mut source = e.source();
    while let Some(s) = source {
        // Connectors may re-wrap rustls's error on the way up, so its
        // words (`invalid peer certificate: ...`) count as well.
        if is_cert(s) || s.to_string().starts_with("invalid peer certificate") {
            return true;
        }
        source = s.source();
    }
    false
}

/// A transport error in words, without the URL (which is harmless, but the
/// chain is more useful) and never with headers.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "connection error".to_owned()
    } else {
        parts.join(": ")
    }
}
