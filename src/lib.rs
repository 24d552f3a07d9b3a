//! plansite: a static site generator for a police and crime plan and the
//! public records around it. See ARCHITECTURE.md for the pipeline.
//!
//! Only what the binary, the integration tests and the examples use is
//! `pub`; every other module is `pub(crate)`, so the compiler reports code
//! nothing reaches.

pub(crate) mod branding;
pub(crate) mod checks;
pub(crate) mod claims;
pub mod commands;
pub(crate) mod config;
pub mod diagnostics;
pub(crate) mod export;
pub(crate) mod git_history;
pub(crate) mod hash;
pub(crate) mod link;
pub(crate) mod load;
pub(crate) mod markdown;
pub mod output;
pub mod pipeline;
pub(crate) mod records;
pub(crate) mod refs;
pub(crate) mod render;
pub(crate) mod safe;
pub(crate) mod search;
pub(crate) mod search_docs;
pub mod serve;
pub mod text;
pub(crate) mod transparency;
pub mod types;
