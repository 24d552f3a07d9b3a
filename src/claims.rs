//! Who publishes each output path. Every file a build writes is claimed
//! once, at link time: built-in pages and folders, data files, each
//! record's page, each alias's redirect page; content and theme assets are
//! added when they are known (`pipeline::static_files`). A second claim of
//! a path, or a claim that needs a path to be a file and a folder at once
//! (an alias `/records.json` would need `records.json/index.html`), is an
//! error naming both sources, so nothing is ever silently overwritten and
//! no build fails only while writing.
//!
//! The table is a `BTreeMap` from output path to claimant; a claim of a
//! whole folder is stored with a trailing `/`. Each claim costs a lookup
//! per folder level of its path and one range probe.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Span};
use crate::types::Kind;

/// Who claims a path.
#[derive(Debug, Clone)]
pub enum Claimant {
    /// A page or folder plansite makes itself: "the home page".
    BuiltIn(&'static str),
    /// A record's own page.
    Record {
        kind: Kind,
        key: String,
        title: String,
        span: Span,
    },
    /// The redirect page of an alias.
    Alias {
        alias: String,
        owner: String,
        span: Span,
    },
    /// A file under `content/` published as it is.
    Asset(PathBuf),
    /// A theme's static file (its name before fingerprinting).
    Theme(String),
    /// The list page of a kind published from the registry alone
    /// (`records::registry::bespoke`), made when the site has its records.
    KindIndex(Kind),
}

impl Claimant {
    pub fn span(&self) -> Option<&Span> {
        match self {
            Claimant::Record { span, .. } | Claimant::Alias { span, .. } => Some(span),
            _ => None,
        }
    }

    /// How the claimant reads in an error, with its place where it has one.
    pub fn describe(&self) -> String {
        match self {
            Claimant::BuiltIn(what) => format!("{what} (made by plansite)"),
            Claimant::Record {
                kind: Kind::Page,
                key,
                span,
                ..
            } => format!("the page `{key}` ({span})"),
            Claimant::Record {
                kind, key, span, ..
            } => format!(
                "the page of {} `{key}` ({span})",
                kind.label().to_lowercase()
            ),
            Claimant::Alias { alias, owner, span } => {
                format!("the alias `{alias}` of {owner} ({span})")
            }
            Claimant::Asset(file) => format!("the file {}", file.display()),
            Claimant::Theme(name) => format!("the theme file `{name}`"),
            Claimant::KindIndex(kind) => format!(
                "the list of {} (made by plansite)",
                kind.plural_label().to_lowercase()
            ),
        }
    }

    fn help(&self, other: &Claimant) -> String {
        match self {
            Claimant::Alias { .. } => {
                "an alias is an old address that no page has now; remove it, or correct it".into()
            }
            Claimant::Record { .. } if matches!(other, Claimant::KindIndex(_)) => {
                "that address lists a kind of record the site has, so choose another id".into()
            }
            Claimant::Record { .. } if matches!(other, Claimant::BuiltIn(_)) => format!(
                "that address is built in, so choose another id; the built-in addresses at the top of the site are {}",
                BUILT_IN
                    .iter()
                    .map(|(p, _)| format!("`/{}`", p.trim_end_matches("index.html")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Claimant::Record { .. } => {
                "ids and decision numbers must be unique, so change one of them".into()
            }
            Claimant::Asset(_) => "rename or move the file".into(),
            Claimant::Theme(_) => "rename the theme's file".into(),
            Claimant::BuiltIn(_) | Claimant::KindIndex(_) => {
                "this is a bug in plansite: two built-in files have one path".into()
            }
        }
    }
}

/// The pages and folders plansite always makes, besides the data files.
/// A path ending in `/` claims the whole folder.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("index.html", "the home page"),
    ("plan/index.html", "the list of plans"),
    ("commitments/index.html", "the list of commitments"),
    ("metrics/index.html", "the list of metrics"),
    ("grants/index.html", "the list of grants tables"),
    ("decisions/index.html", "the list of decisions"),
    ("panel/index.html", "the list of Panel documents"),
    ("responses/index.html", "the list of responses"),
    ("papers/index.html", "the list of meeting papers"),
    ("variations/index.html", "the list of plan variations"),
    ("browse/", "the browsing pages"),
    ("search/", "the search page and its index"),
    ("accessibility/index.html", "the accessibility statement"),
    ("data/index.html", "the Open data page"),
    ("transparency/index.html", "the Specified Information page"),
    ("progress/index.html", "the progress page"),
    ("404.html", "the page-not-found page"),
    ("_headers", "the HTTP headers file"),
];

/// Every file `export::all` makes, with how an error names it; claimed
/// before any record, so no page or alias can take its path.
pub const DATA_FILES: &[(&str, &str)] = &[
    ("records.json", "the data file records.json"),
    ("records.csv", "the data file records.csv"),
    ("grants.csv", "the data file grants.csv"),
    ("grants-360giving.csv", "the data file grants-360giving.csv"),
    (
        "grants-360giving.json",
        "the data file grants-360giving.json",
    ),
    ("metrics.csv", "the data file metrics.csv"),
    ("commitments.csv", "the data file commitments.csv"),
    ("decisions.xml", "the feed decisions.xml"),
    ("records.xml", "the feed records.xml"),
    ("sitemap.xml", "the sitemap sitemap.xml"),
    ("_redirects", "the redirects file _redirects"),
    ("datapackage.json", "the data package datapackage.json"),
    ("meetings.ics", "the meetings calendar meetings.ics"),
    ("budgets.csv", "the data file budgets.csv"),
];

/// The output path a page at `url` is written to: `decisions/x/` →
/// `decisions/x/index.html`; the home page `` → `index.html`.
pub fn page_path(url: &str) -> String {
    if url.ends_with('/') || url.is_empty() {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Claims {
    paths: BTreeMap<String, Claimant>,
}

impl Claims {
    /// A table holding the built-in pages and the data files.
    pub fn built_in() -> Claims {
        let mut claims = Claims::default();
        for (path, what) in BUILT_IN {
            claims
                .paths
                .insert(path.to_string(), Claimant::BuiltIn(what));
        }
        for (path, what) in DATA_FILES {
            claims
                .paths
                .insert(path.to_string(), Claimant::BuiltIn(what));
        }
        claims
    }

    /// Claims `path`, or returns the claim it clashes with (its path and
    /// claimant) and leaves the table as it was.
    pub fn claim(&mut self, path: String, who: Claimant) -> Result<(), (String, &Claimant)> {
        if let Some(other) = self.clash(&path) {
            let other_path = other.to_string();
            return Err((other_path.clone(), &self.paths[&other_path]));
        }
        self.paths.insert(path, who);
        Ok(())
    }

    /// Claims `path` and turns a clash into the error for `who`.
    pub fn claim_or_report(&mut self, path: String, who: Claimant) -> Option<Diagnostic> {
        let shown = path.clone();
        match self.claim(path, who.clone()) {
            Ok(()) => None,
            Err((other_path, other)) => Some(clash_diagnostic(&shown, &who, &other_path, other)),
        }
    }

    /// Whether a claim covers `path` (claimed itself, or inside a claimed
    /// folder): what the tests check every written file against.
    #[cfg(test)]
    pub fn covers(&self, path: &str) -> bool {
        self.paths.contains_key(path)
            || path
                .match_indices('/')
                .any(|(i, _)| self.paths.contains_key(&path[..=i]))
    }

    /// The claimed path `path` clashes with, if any.
    fn clash(&self, path: &str) -> Option<&str> {
        if let Some((p, _)) = self.paths.get_key_value(path) {
            return Some(p);
        }
        // A folder of `path` claimed as a file, or claimed whole.
        for (i, _) in path.match_indices('/') {
            for prefix in [&path[..i], &path[..=i]] {
                if let Some((p, _)) = self.paths.get_key_value(prefix) {
                    return Some(p);
                }
            }
        }
        // Something already claimed inside `path` (as a folder).
        let folder = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        self.paths
            .range::<str, _>((Bound::Included(folder.as_str()), Bound::Unbounded))
            .next()
            .filter(|(p, _)| p.starts_with(&folder))
            .map(|(p, _)| p.as_str())
    }
}

/// The error for a claim of `path` by `who` that clashes with `other`'s
/// claim of `other_path`: at `who`'s place, naming both.
pub fn clash_diagnostic(
    path: &str,
    who: &Claimant,
    other_path: &str,
    other: &Claimant,
) -> Diagnostic {
    let span = who.span().or(other.span()).cloned().or_else(|| match who {
        Claimant::Asset(file) => Some(Span::file(file)),
        _ => None,
    });
    let message = if other_path == path {
        format!(
            "`{path}` would be published twice: by {} and by {}",
            who.describe(),
            other.describe()
        )
    } else if other_path.ends_with('/') {
        format!(
            "{} would be published at `{path}`, inside `{other_path}`, the folder of {}",
            who.describe(),
            other.describe()
        )
    } else {
        format!(
            "{} would be published at `{path}`, but `{other_path}` is {}: one path cannot be both a file and a folder",
            who.describe(),
            other.describe()
        )
    };
    Diagnostic::error(span, message).with_help(who.help(other))
}

/// Why an alias cannot be an address on this site, if it cannot. Aliases
/// are paths from the site's root; anything that could leave the output
/// folder, name another host, or need a query to tell pages apart is refused
/// where it is written.
pub fn alias_problem(alias: &str) -> Option<&'static str> {
    if alias.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("contains a space or a control character");
    }
    if alias.starts_with("//") {
        return Some("names another host");
    }
    if alias.contains(':') {
        return Some("is a full URL or a drive, not a path on this site");
    }
    if alias.contains('\\') {
        return Some("contains `\\`; folders are separated by `/`");
    }
    if alias.contains(['?', '#']) {
        return Some(
            "has a query (`?…`) or a fragment (`#…`), which a static page cannot answer to",
        );
    }
    let path = alias.strip_prefix('/').unwrap_or(alias);
    if path.is_empty() {
        return Some("is the home page");
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        match *s {
            "." | ".." => {
                return Some("has a `.` or `..` folder; an alias must stay inside the site");
            }
            "" if i != last => return Some("has an empty folder (`//`)"),
            _ => {}
        }
    }
    None
}

/// Help for every refused alias.
pub const ALIAS_HELP: &str = "an alias is an old address of this record on this site, written from the site's root, e.g. `/decisions/page/8/` or `/old/report.html`; a redirect page is made there";

/// Where an alias's redirect page is, as a site-root-relative URL: no
/// leading `/`, and a trailing `/` unless it names an `.html` file.
pub fn alias_url(alias: &str) -> String {
    let mut url = alias.trim_start_matches('/').to_string();
    if !url.ends_with('/') && !url.ends_with(".html") {
        url.push('/');
    }
    url
}

/// Checks the claims of content assets and theme files against the site's
/// table (which keeps only what the site holds, so it is not copied) and
/// against each other.
pub fn claim_assets<'a>(
    claims: &Claims,
    assets: impl IntoIterator<Item = (&'a str, Claimant)>,
) -> Vec<Diagnostic> {
    let mut own = Claims::default();
    let mut diagnostics = Vec::new();
    for (path, who) in assets {
        if let Some(other_path) = claims.clash(path) {
            let other = &claims.paths[other_path];
            diagnostics.push(clash_diagnostic(path, &who, other_path, other));
        } else {
            diagnostics.extend(own.claim_or_report(path.to_string(), who));
        }
    }
    diagnostics
}

/// The file a content asset was read from, for its claim.
pub fn asset(file: &Path) -> Claimant {
    Claimant::Asset(file.strip_prefix("./").unwrap_or(file).to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alias(a: &str) -> Claimant {
        Claimant::Alias {
            alias: a.into(),
            owner: "page `x`".into(),
            span: Span::new("content/pages/x.md", 4, 11),
        }
    }

    #[test]
    fn a_path_is_claimed_once_and_never_as_file_and_folder() {
        let mut c = Claims::built_in();
        assert!(c.claim("about/index.html".into(), alias("/about/")).is_ok());
        let (p, _) = c
            .claim("about/index.html".into(), alias("/about/"))
            .unwrap_err();
        assert_eq!(p, "about/index.html");
        let (p, _) = c
            .claim("records.json/index.html".into(), alias("/records.json"))
            .unwrap_err();
        assert_eq!(p, "records.json");
        let (p, _) = c
            .claim("search/manifest.json/index.html".into(), alias("x"))
            .unwrap_err();
        assert_eq!(p, "search/");
        let (p, _) = c.claim("about".into(), alias("x")).unwrap_err();
        assert_eq!(p, "about/index.html");
        // A sibling that only shares a prefix is fine.
        assert!(c.claim("about-us/index.html".into(), alias("x")).is_ok());
        assert!(c.claim("searching/index.html".into(), alias("x")).is_ok());
        assert!(c.covers("search/abc/t/0.json"));
        assert!(!c.covers("nowhere.html"));
    }

    #[test]
    fn aliases_stay_inside_the_site() {
        for ok in ["/decisions/page/8/", "old/report.html", "/a.aspx", "/x/"] {
            assert_eq!(alias_problem(ok), None, "{ok}");
        }
        for bad in [
            "/",
            "",
            "/../x/",
            "/a/../../x",
            "..",
            "/a/./b",
            "//host/x",
            "https://host/x",
            "C:/x",
            "/a\\b",
            "/a//b/",
            "/x?y=1",
            "/x#y",
            "/x y/",
            "/x\u{0}y",
        ] {
            assert!(alias_problem(bad).is_some(), "{bad:?}");
        }
    }
}
