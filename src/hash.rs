//! The one stable content hash: FNV-1a, 64-bit. It names what must change
//! when its bytes change and stay the same otherwise: fingerprinted assets
//! and the search index's folder (std's hasher promises no stability across
//! Rust releases).

/// FNV-1a, 64-bit: stable across builds and platforms, and enough to tell
/// versions of one file apart.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    /// The hash as 16 lower-case hex digits.
    pub(crate) fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Also the hasher for `Hash` values, where serve compares a page's inputs
/// with the last build's.
impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `style.css` → `style.<hash>.css`: a new publication never mixes with
/// a browser's cached old files, so assets can be cached for a long time.
pub(crate) fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    use std::hash::Hasher as _;
    let mut hash = Fnv::new();
    hash.write(bytes);
    let short = hash.hex();
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &short[..10]),
        None => format!("{name}.{}", &short[..10]),
    }
}
