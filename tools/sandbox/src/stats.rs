//! Request counters, for benchmarks and for tests that check how many calls a
//! client made.

use std::collections::BTreeMap;

/// A snapshot of the sandbox's counters since start (or the last
/// [`crate::Sandbox::reset_stats`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every HTTP request received, matched or not, faulted or not.
    pub total_requests: u64,
    /// Requests per `(method, path template)`, e.g.
    /// `("GET", "/rest/v1/audiences/{audienceId}/members")`. Requests that
    /// matched no route are counted under the template `"<unmatched>"`.
    /// Injected faults are counted here too.
    pub by_route: BTreeMap<(String, String), u64>,
    /// Responses per status code (dropped connections have none).
    pub by_status: BTreeMap<u16, u64>,
    /// OAuth access tokens issued.
    pub tokens_issued: u64,
    /// Injected `429 Too Many Requests` answers.
    pub injected_429: u64,
    /// Injected 500/502/503 answers.
    pub injected_5xx: u64,
    /// Connections closed on purpose without a response.
    pub injected_drops: u64,
}

impl Stats {
    /// Requests seen for `method` and `template` (0 if none).
    pub fn count(&self, method: &str, template: &str) -> u64 {
        self.by_route
            .get(&(method.to_owned(), template.to_owned()))
            .copied()
            .unwrap_or(0)
    }

    /// Requests seen for every route whose template starts with `prefix`.
    pub fn count_prefix(&self, prefix: &str) -> u64 {
        self.by_route
            .iter()
            .filter(|((_, t), _)| t.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// All injected faults (429, 5xx and drops).
    pub fn injected_total(&self) -> u64 {
        self.injected_429 + self.injected_5xx + self.injected_drops
    }
}
