//! PLACEHOLDER until the sharded index lands: same interface, writes no
//! index. (The search module replaces this file.)

pub struct SearchDoc<'a> {
    pub url: &'a str,
    pub kind: &'a str,
    pub kind_label: &'a str,
    pub title: &'a str,
    pub number: Option<&'a str>,
    pub date: Option<&'a str>,
    pub ids: &'a [&'a str],
    pub text: &'a str,
    pub amounts: &'a [&'a str],
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub files: usize,
    pub total_bytes: u64,
    pub largest_file_bytes: u64,
    pub terms: usize,
}

pub struct SearchOutput {
    pub files: Vec<(String, Vec<u8>)>,
    pub stats: SearchStats,
}

pub fn build_index(_docs: &[SearchDoc<'_>]) -> SearchOutput {
    SearchOutput {
        files: Vec::new(),
        stats: SearchStats::default(),
    }
}
