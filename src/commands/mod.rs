//! One module per command; each is a small function over the library.

pub mod build;
pub mod check;
pub mod new;
pub mod serve;
