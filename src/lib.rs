//! plansite: a static site generator for a police and crime plan and the
//! public records around it. See ARCHITECTURE.md for the pipeline.

pub mod branding;
pub mod checks;
pub mod claims;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod export;
pub mod link;
pub mod load;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod records;
pub mod refs;
pub mod render;
pub mod search;
pub mod search_docs;
pub mod serve;
pub mod types;
