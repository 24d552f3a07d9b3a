//! `plansite serve`: build into memory, serve on loopback, rebuild what a
//! change reaches and reload the pages that changed. The work is in
//! `crate::serve`.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::pipeline::Options;

pub struct Args {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: bool,
    pub timings: bool,
}

/// Exit codes: 0 after Ctrl-C, 2 when the address cannot be used.
pub fn run(args: Args) -> i32 {
    crate::serve::run(crate::serve::Config {
        options: Options {
            root: args.root,
            include_drafts: args.drafts,
            base_url: None,
            live_reload: true,
        },
        bind: args.bind,
        port: args.port,
        timings: args.timings,
    })
}
