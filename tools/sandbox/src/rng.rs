//! A small deterministic PRNG (SplitMix64) and the 24-hex id generator.
//!
//! Everything random in the sandbox (seed data, ids, tokens, fault rolls)
//! comes from these generators, seeded from [`crate::SandboxConfig::seed`], so
//! a run with the same seed and the same sequence of requests is reproducible.

/// SplitMix64: tiny, fast and statistically good enough for fake data.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for `seed`; `stream` separates independent uses of one seed.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        // Warm up so nearby seeds diverge at once.
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in `0..n` (`0` when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift reduction: unbiased enough for fake data.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform index into a collection of `len` items.
    pub(crate) fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// A uniform value in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// A uniform float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p` (clamped to `0..=1`; NaN counts as 0).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        if p.is_nan() || p <= 0.0 {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        self.unit() < p
    }

    /// A uniformly chosen element; `items` must not be empty.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// `n` hex digits.
    pub(crate) fn hex(&mut self, n: usize) -> String {
        let mut out = String::with_capacity(n);
        while out.len() < n {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(n);
        out
    }

    /// A random (version 4 shaped) UUID.
    pub(crate) fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0xFFFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

/// Generates MongoDB-ObjectId-shaped ids: 24 lowercase hex digits made of a
/// 4-byte "timestamp" (a fixed base plus the sequence number, so ids sort in
/// creation order), 5 random bytes and a 3-byte counter (so ids never repeat).
#[derive(Clone, Debug)]
pub(crate) struct IdGen {
    rng: Rng,
    counter: u32,
    base_secs: u32,
}

impl IdGen {
    /// A generator whose ids start at `base_secs`.
    pub(crate) fn new(seed: u64, base_secs: u32) -> Self {
        IdGen {
            rng: Rng::new(seed, 0x1D5),
            counter: 0,
            base_secs,
        }
    }

    /// The next id.
    pub(crate) fn next_id(&mut self) -> String {
        self.counter = self.counter.wrapping_add(1);
        let ts = self.base_secs.wrapping_add(self.counter);
        let random = self.rng.next_u64() & 0xFF_FFFF_FFFF;
        format!("{ts:08x}{random:010x}{:06x}", self.counter & 0xFF_FFFF)
    }

    /// A statement id (UUID shaped) for completions.
    pub(crate) fn uuid(&mut self) -> String {
        self.rng.uuid()
    }
}

/// Whether `s` is a 24-character hex string (the documented id pattern).
pub(crate) fn is_hex24(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_hex_and_reproducible() {
        let mut a = IdGen::new(42, 1_700_000_000);
        let mut b = IdGen::new(42, 1_700_000_000);
        let ids: Vec<String> = (0..1000).map(|_| a.next_id()).collect();
        let again: Vec<String> = (0..1000).map(|_| b.next_id()).collect();
        assert_eq!(ids, again);
        assert!(ids.iter().all(|id| is_hex24(id)));
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn chance_edges() {
        let mut r = Rng::new(1, 2);
        assert!(!r.chance(0.0));
        assert!(r.chance(1.0));
        assert!(!r.chance(f64::NAN));
        let hits = (0..10_000).filter(|_| r.chance(0.25)).count();
        assert!((2000..3000).contains(&hits), "{hits}");
        let uuid = r.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
    }
}
