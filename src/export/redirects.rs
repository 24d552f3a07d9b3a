//! `_redirects`: every old address in `aliases:` (and each decision
//! number's canonical form, `link::Site::aliases_of`) and the record it now
//! points at, in the format Netlify and Cloudflare Pages read
//! (`from to 301`), with paths under the site's base path. The redirect
//! pages themselves (meta refresh, canonical link) are made by
//! `render::pages`; this file lets hosts that read it answer with a real
//! 301 instead.

use super::Cx;
use crate::output::OutputFile;

/// `(from, to)` pairs, sorted. An alias is listed as written and, when the
/// redirect page sits at a different path (a `/` added), at that path too.
fn lines(cx: &Cx<'_>) -> Vec<(String, String)> {
    let base = cx.site.config.base_path();
    let base = base.as_str();
    let mut out: Vec<(String, String)> = Vec::new();
    for i in cx.infos {
        let target = format!("{base}{}", i.meta.url);
        for alias in cx.site.aliases_of(i.meta) {
            let written = alias.trim_start_matches('/');
            for from in [written.to_string(), crate::claims::alias_url(alias)] {
                out.push((format!("{base}{from}"), target.clone()));
            }
        }
    }
    // A host reads the file as whitespace-separated fields.
    out.retain(|(from, to)| {
        !from.contains(char::is_whitespace) && !to.contains(char::is_whitespace)
    });
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// How many old addresses redirect.
pub(crate) fn count(cx: &Cx<'_>) -> usize {
    cx.infos
        .iter()
        .map(|i| cx.site.aliases_of(i.meta).len())
        .sum()
}

pub(crate) fn file(cx: &Cx<'_>) -> OutputFile {
    let mut text = String::from(
        "# Old addresses of records and where they are now (from `aliases:`).\n# Each also has a redirect page, for hosts that do not read this file.\n",
    );
    for (from, to) in lines(cx) {
        text.push_str(&format!("{from} {to} 301\n"));
    }
    OutputFile {
        path: "_redirects".into(),
        bytes: text.into_bytes(),
    }
}
