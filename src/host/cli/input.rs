//! Bounded reading of what the command line takes in: `--params @FILE`,
//! `--params -` (standard input) and the lines of `run --batch`.
//!
//! Each is read up to [`max_input_bytes`] (16 MiB unless raised with
//! `--max-input-bytes` or [`MAX_INPUT_ENV`]): a longer input is refused
//! with the JSON error (`invalid_input`, exit 2) after reading at most one
//! byte past the limit, so `--params @/dev/zero` ends at once with memory
//! flat instead of reading until memory runs out.

use crate::error::Error;
use serde_json::Value;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

/// The default cap on one input: 16 MiB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The environment variable that sets the cap (as `--max-input-bytes`).
pub const MAX_INPUT_ENV: &str = "THRIVE_BLOCKS_MAX_INPUT_BYTES";

static MAX_INPUT: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the cap for this process (from `--max-input-bytes`).
pub fn set_max_input_bytes(bytes: u64) {
    MAX_INPUT.store(bytes.max(1), Ordering::Relaxed);
}

/// The cap on one input (`--params` file or standard input, one batch
/// line), in bytes.
pub fn max_input_bytes() -> u64 {
    MAX_INPUT.load(Ordering::Relaxed)
}

/// The error for an input over the cap; `what` names it.
pub(crate) fn too_large(what: &str) -> Error {
    Error::field(
        "",
        format!(
            "{what} is larger than {} bytes; raise the limit with --max-input-bytes \
             (or {MAX_INPUT_ENV}) to read it",
            max_input_bytes()
        ),
    )
}

/// Reads `reader` whole as UTF-8 text, refusing it past [`max_input_bytes`];
/// `what` names it in errors ("standard input", "FILE").
pub(crate) fn read_text(reader: impl Read, what: &str) -> Result<String, Error> {
    let limit = max_input_bytes();
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::field("", format!("could not read parameters from {what}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&format!("the --params input from {what}")));
    }
    String::from_utf8(bytes)
        .map_err(|e| Error::field("", format!("the parameters in {what} are not UTF-8: {e}")))
}

/// Reads `--params` from `path` (see [`read_text`]); a regular file over
/// the cap is refused before it is read.
pub(crate) fn read_file(path: &str) -> Result<String, Error> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::field("", format!("could not read parameters from {path}: {e}")))?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > max_input_bytes()
    {
        return Err(too_large(&format!("the --params input from {path}")));
    }
    read_text(file, path)
}

/// Reads `--params`: inline JSON, `@file` or `-` (standard input), the
/// last two capped ([`max_input_bytes`]).
pub(super) fn read_params(arg: &str) -> Result<Value, Error> {
    let text = if arg == "-" {
        read_text(std::io::stdin().lock(), "standard input")?
    } else if let Some(path) = arg.strip_prefix('@') {
        read_file(path)?
    } else {
        arg.to_owned()
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::field("", format!("--params is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_MAX_INPUT_BYTES, read_text, set_max_input_bytes};

    #[test]
    fn input_over_the_cap_is_refused_after_one_byte_more() {
        // One test changes the process-wide cap, so all cases are here.
        set_max_input_bytes(8);
        assert_eq!(read_text(&b"{\"a\":1}"[..], "x").unwrap(), "{\"a\":1}");
        let endless = std::io::repeat(b' ');
        let e = read_text(endless, "standard input").unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        assert!(
            e.message()
                .contains("the --params input from standard input is larger than 8 bytes"),
            "{}",
            e.message()
        );
        let e = read_text(&b"\xff\xfe"[..], "f").unwrap_err();
        assert!(e.message().contains("not UTF-8"), "{}", e.message());
        set_max_input_bytes(DEFAULT_MAX_INPUT_BYTES);
    }
}
