//! The theme: templates compiled once, and static assets. The default theme
//! is built into the binary; a site overrides any file by putting its own
//! copy under `themes/<name>/` (`templates/…` or `static/…`).

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Span};
use crate::hash::fingerprinted;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_FILES: &[(&str, &str)] = embedded![
    "templates/base.html",
    "templates/macros/backlinks.html",
    "templates/macros/cite.html",
    "templates/macros/history.html",
    "templates/macros/timeline.html",
    "templates/macros/signature.html",
    "templates/macros/grants-table.html",
    "templates/home.html",
    "templates/plan.html",
    "templates/plans.html",
    "templates/section.html",
    "templates/commitment.html",
    "templates/commitments.html",
    "templates/progress.html",
    "templates/metric.html",
    "templates/metrics.html",
    "templates/grants.html",
    "templates/grants-index.html",
    "templates/grant.html",
    "templates/decision.html",
    "templates/decisions.html",
    "templates/panel.html",
    "templates/panel-index.html",
    "templates/response.html",
    "templates/paper.html",
    "templates/variation.html",
    "templates/list.html",
    "templates/page.html",
    "templates/browse.html",
    "templates/search.html",
    "templates/accessibility.html",
    "templates/data.html",
    "templates/transparency.html",
    "templates/404.html",
    "templates/redirect.html",
    "static/style.css",
    "static/search.js",
    "static/site.js",
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files to copy to the output, by their fingerprinted output
    /// path (`style.3f9a0c1d2e.css`).
    pub assets: Vec<(String, Vec<u8>)>,
    /// Original name → fingerprinted name, for templates (`assets`).
    pub asset_names: std::collections::BTreeMap<String, String>,
    /// What loading noticed but did not stop for (symbolic links).
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    /// Loads the default theme, then the site's overrides from
    /// `root/themes/*/` (other than a folder that is the default theme's own
    /// source in this repository). Template errors carry file, line, column.
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
        let mut assets: Vec<(String, Vec<u8>)> = Vec::new();
        for (name, text) in DEFAULT_FILES {
            if let Some(t) = name.strip_prefix("templates/") {
                templates.push((
                    t.to_string(),
                    text.to_string(),
                    PathBuf::from("themes/default").join(name),
                ));
            } else if let Some(s) = name.strip_prefix("static/") {
                assets.push((s.to_string(), text.as_bytes().to_vec()));
            }
        }
        // The page templates of kinds published from the registry alone
        // come with the kind (`Kind::info`).
        for kind in crate::types::Kind::ALL {
            let info = kind.info();
            if let Some(text) = info.default_template {
                templates.push((
                    info.template.to_string(),
                    text.to_string(),
                    PathBuf::from("themes/default/templates").join(info.template),
                ));
            }
        }
        let override_dir = root.join("themes/default");
        let mut diagnostics = Vec::new();
        let mut warnings = Vec::new();
        let has_override = override_dir.is_dir();
        if has_override {
            let walker = walkdir::WalkDir::new(&override_dir)
                .sort_by_file_name()
                .into_iter()
                // Private folders and files, as under content/; templates
                // are never published, so their folders keep any name.
                .filter_entry(|e| {
                    e.depth() == 0
                        || !crate::load::is_private_name(e.file_name())
                        || e.path()
                            .strip_prefix(&override_dir)
                            .is_ok_and(|r| r.starts_with("templates"))
                });
            for entry in walker {
                let Ok(entry) = entry else { continue };
                if entry.path_is_symlink() {
                    warnings.push(crate::load::symlink_warning(entry.path()));
                    continue;
                }
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&override_dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let shown = entry
                    .path()
                    .strip_prefix("./")
                    .unwrap_or(entry.path())
                    .to_path_buf();
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        if let Some(t) = rel.strip_prefix("templates/") {
                            match String::from_utf8(bytes) {
                                Ok(text) => {
                                    templates.retain(|(n, _, _)| n != t);
                                    templates.push((t.to_string(), text, shown));
                                }
                                Err(_) => diagnostics.push(Diagnostic::error(
                                    Some(Span::file(&shown)),
                                    "the template is not UTF-8 text",
                                )),
                            }
                        } else if let Some(s) = rel.strip_prefix("static/") {
                            assets.retain(|(n, _)| n != s);
                            assets.push((s.to_string(), bytes));
                        }
                    }
                    Err(e) => diagnostics.push(Diagnostic::error(
                        Some(Span::file(&shown)),
                        format!("cannot read the theme file: {e}"),
                    )),
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        // All at once: a template may extend one that comes later.
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
        {
            let text = e.to_string();
            let path = templates
                .iter()
                .find(|(n, _, _)| {
                    text.contains(&format!("{n}:")) || text.contains(&format!("'{n}'"))
                })
                .map(|(_, _, p)| p.clone())
                .unwrap_or_else(|| PathBuf::from("themes/default/templates"));
            let mut d = template_diagnostic(&e, &path);
            if let Some((line, col, parent)) = missing_parent(&text, &templates) {
                d.span = Some(Span::new(&path, line, col));
                d.help = Some(format!(
                    "there is no template `{parent}`: check the name in `{{% extends %}}` (the default theme's pages extend \"base.html\"), or add themes/default/templates/{parent}"
                ));
            }
            return Err(vec![d]);
        }
        // Tera checks inheritance and includes when templates are added;
        // rendering an undefined name is reported at render time with a span.
        assets.sort_by(|a, b| a.0.cmp(&b.0));
        let mut asset_names = std::collections::BTreeMap::new();
        let assets = assets
            .into_iter()
            .map(|(name, bytes)| {
                let hashed = fingerprinted(&name, &bytes);
                asset_names.insert(name, hashed.clone());
                (hashed, bytes)
            })
            .collect();
        Ok(Theme {
            tera,
            assets,
            asset_names,
            warnings,
        })
    }
}

/// A Tera error as a diagnostic: Tera 2 reports `--> name:line:col`; we map
/// the template name back to its file.
pub fn template_diagnostic(err: &tera::Error, path: &Path) -> Diagnostic {
    let text = err.to_string();
    let (line, col) = position_in(&text).unwrap_or((0, 0));
    let first = text.lines().next().unwrap_or("template error");
    let message = first.trim_start_matches("error: ").to_string();
    let mut d = Diagnostic::error(
        Some(Span::new(path, line, col)),
        format!("template error: {message}"),
    );
    let detail: Vec<&str> = text.lines().skip(1).collect();
    if !detail.is_empty() {
        d = d.with_help(format!("Tera says:\n{}", detail.join("\n")));
    }
    d
}

/// For Tera's "Template 'a' is inheriting from 'b', which doesn't exist":
/// the line and column of the `extends` tag in `a`, and `b`.
fn missing_parent(
    error: &str,
    templates: &[(String, String, PathBuf)],
) -> Option<(u32, u32, String)> {
    let rest = error.split_once("Template '")?.1;
    let (child, rest) = rest.split_once("' is inheriting from '")?;
    let (parent, _) = rest.split_once('\'')?;
    let (_, text, _) = templates.iter().rev().find(|(n, _, _)| n == child)?;
    text.lines().enumerate().find_map(|(i, line)| {
        let at = line.find("extends")?;
        line[at..].contains(parent).then(|| {
            let tag = line[..at].rfind("{%").unwrap_or(at);
            (
                i as u32 + 1,
                line[..tag].chars().count() as u32 + 1,
                parent.to_string(),
            )
        })
    })
}

fn position_in(text: &str) -> Option<(u32, u32)> {
    let arrow = text.find("--> ")?;
    let rest = text[arrow + 4..].lines().next()?;
    let mut parts = rest.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((line, col))
}

/// Which file a template name came from, for render-time errors.
pub fn template_path(root: &Path, name: &str) -> PathBuf {
    let custom = root.join("themes/default/templates").join(name);
    if custom.is_file() {
        custom.strip_prefix("./").unwrap_or(&custom).to_path_buf()
    } else {
        PathBuf::from("themes/default/templates").join(name)
    }
}
