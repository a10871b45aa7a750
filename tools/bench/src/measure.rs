//! Clocks and counters: latency percentiles, CPU time from `getrusage` and
//! `wait4`, peak memory from `/proc`.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What one path did at one concurrency in one round.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Sample {
    /// Calls measured.
    pub calls: usize,
    /// Median latency of one call, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Calls completed per second of wall time.
    pub calls_per_s: f64,
    /// Client CPU (user + system) per call, in microseconds.
    pub cpu_us_per_call: f64,
    /// Peak resident memory of the client, in MiB.
    pub peak_rss_mib: f64,
    /// Heap allocations per call (in-process paths only).
    #[serde(default)]
    pub allocs_per_call: Option<f64>,
}

/// The `p`-quantile (0..=1) of `sorted` latencies, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1e3
}

/// The median of `values` (NaN when empty).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.retain(|v| !v.is_nan());
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// CPU time (user + system) this process has used so far, every thread.
pub fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct we pass.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        tv(ru.ru_utime) + tv(ru.ru_stime)
    }
}

/// Waits for child `pid` and returns its CPU time and peak RSS (MiB).
pub fn wait_child(pid: u32) -> std::io::Result<(Duration, f64, i32)> {
    // SAFETY: wait4 writes only the status and rusage we pass.
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        let mut status = 0;
        let r = libc::wait4(pid as libc::pid_t, &mut status, 0, &mut ru);
        if r < 0 {
            return Err(std::io::Error::last_os_error());
        }
        let code = if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        };
        Ok((
            tv(ru.ru_utime) + tv(ru.ru_stime),
            ru.ru_maxrss as f64 / 1024.0,
            code,
        ))
    }
}

/// Resets this process's peak RSS (`VmHWM`) to its current RSS (Linux).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's peak RSS in MiB since start or the last reset (Linux).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// A one-line description of the machine: CPU model, cores, memory, load.
pub fn machine() -> serde_json::Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();
    serde_json::json!({
        "cpu": model,
        "cores": cores,
        "memory_gib": (mem_gib * 10.0).round() / 10.0,
        "load_1min_at_start": load,
    })
}
