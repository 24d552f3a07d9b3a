//! The reference syntax authors type to link records:
//! `[[decision 004/2014]]`, `[[commitment rebuild-community-policing]]`,
//! `[[decision 004/2014#para-12]]`, `[[panel 2014-02-14-report#rec-harm|the
//! Panel's point on harm]]`. Parsing is pure; resolution happens in `link`.

use crate::diagnostics::{Diagnostic, Span};
use crate::types::{DecisionNumber, Kind};

/// What a reference points at, before it is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: Kind,
    /// The record key: an id, or a decision number's normalised slug.
    pub key: String,
    /// As the author wrote it, for messages.
    pub written: String,
    pub fragment: Option<String>,
}

/// How the referring record relates to the target; it decides the heading
/// the backlink is listed under on the target's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// Mentioned in prose or listed under `related:`.
    Mentions,
    /// A metric measures a commitment.
    Measures,
    /// A grant funds a commitment.
    Funds,
    /// A decision delivers a commitment.
    Delivers,
    /// A Panel recommendation is about a record.
    RecommendationAbout,
    /// A Panel document concerns a plan, variation or decision.
    Concerns,
    /// A response answers a Panel report.
    RespondsTo,
    /// A decision or table approves a grant, a plan or a variation.
    Approves,
    /// A decision issues a plan.
    Issues,
    /// A decision cites another record as a background paper.
    Cites,
    /// A record sits in a plan section.
    PartOf,
    /// A plan or variation's statutory step is evidenced by a record.
    Evidences,
    /// An annual report reports on a commitment, plan section or plan.
    ReportsOn,
    /// A performance report grades a metric.
    Grades,
    /// A report was presented to a meeting.
    PresentedTo,
    /// A commitment's progress update cites a record as evidence.
    Evidence,
    /// A metric belongs to a document published elsewhere (a previous
    /// plan, a national framework) rather than to a plan section here.
    BelongsTo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub target: Target,
    pub label: Option<String>,
    pub span: Span,
    pub relation: Relation,
}

/// Templates see a reference as `{"$ref": "kind key#fragment", "label": …}`;
/// the render stage swaps it for the resolved link (url, title, found).
impl serde::Serialize for Ref {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let t = &self.target;
        let mut m = s.serialize_map(Some(3))?;
        let mut target = format!("{} {}", t.kind.keyword(), t.key);
        if let Some(f) = &t.fragment {
            target.push('#');
            target.push_str(f);
        }
        m.serialize_entry("$ref", &target)?;
        m.serialize_entry("written", &t.written)?;
        m.serialize_entry("label", &self.label)?;
        m.end()
    }
}

/// Parses the inside of `[[…]]` (or a `related:` entry): `KIND ID[#FRAG][|LABEL]`.
pub fn parse_reference(inner: &str, span: &Span, relation: Relation) -> Result<Ref, Diagnostic> {
    let (target_text, label) = match inner.split_once('|') {
        Some((t, l)) => (
            t.trim(),
            Some(l.trim().to_string()).filter(|l| !l.is_empty()),
        ),
        None => (inner.trim(), None),
    };
    let (kind_word, rest) = match target_text.split_once(char::is_whitespace) {
        Some((k, r)) => (k.trim(), r.trim()),
        None => {
            return Err(Diagnostic::error(
                Some(span.clone()),
                format!("reference `[[{inner}]]` does not say what kind of record it is"),
            )
            .with_help(format!(
                "write the kind first, e.g. `[[commitment {target_text}]]` or `[[decision {target_text}]]`"
            )));
        }
    };
    let kind = Kind::from_keyword(&kind_word.to_lowercase()).ok_or_else(|| {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.keyword()).collect();
        let hint = crate::diagnostics::did_you_mean(kind_word, kinds.iter().copied())
            .unwrap_or_else(|| format!("the kinds are {}", kinds.join(", ")));
        Diagnostic::error(
            Some(span.clone()),
            format!("unknown kind of record `{kind_word}` in reference `[[{inner}]]`"),
        )
        .with_help(hint)
    })?;
    let (written, fragment) = match rest.split_once('#') {
        Some((id, frag)) => (id.trim(), Some(frag.trim().to_string())),
        None => (rest, None),
    };
    if written.is_empty() {
        return Err(Diagnostic::error(
            Some(span.clone()),
            format!("reference `[[{inner}]]` names no record"),
        ));
    }
    Ok(Ref {
        target: Target {
            kind,
            key: key_for(kind, written),
            written: written.to_string(),
            fragment,
        },
        label,
        span: span.clone(),
        relation,
    })
}

/// Decisions are addressed by their normalised number; everything else by id.
pub fn key_for(kind: Kind, written: &str) -> String {
    match kind {
        Kind::Decision => DecisionNumber::new(written)
            .map(|n| n.slug())
            .unwrap_or_else(|| written.to_string()),
        _ => written.trim().to_string(),
    }
}

/// A reference to a known kind given as a bare id in a YAML field.
pub fn typed_reference(kind: Kind, written: &str, span: Span, relation: Relation) -> Ref {
    let (id, fragment) = match written.split_once('#') {
        Some((id, frag)) => (id.trim(), Some(frag.trim().to_string())),
        None => (written.trim(), None),
    };
    Ref {
        target: Target {
            kind,
            key: key_for(kind, id),
            written: id.to_string(),
            fragment,
        },
        label: None,
        span,
        relation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::new("x.md", 1, 1)
    }

    #[test]
    fn parses_kind_id_fragment_and_label() {
        let r = parse_reference(
            "decision 004/2014#para-12|the decision",
            &span(),
            Relation::Mentions,
        )
        .unwrap();
        assert_eq!(r.target.kind, Kind::Decision);
        assert_eq!(r.target.key, "004-2014");
        assert_eq!(r.target.written, "004/2014");
        assert_eq!(r.target.fragment.as_deref(), Some("para-12"));
        assert_eq!(r.label.as_deref(), Some("the decision"));
    }

    #[test]
    fn decision_numbers_with_spaces_parse() {
        let r = parse_reference("decision PCC-DN 1956", &span(), Relation::Mentions).unwrap();
        assert_eq!(r.target.key, "pcc-dn-1956");
    }

    #[test]
    fn unknown_kind_suggests_the_nearest() {
        let e = parse_reference("decison 004/2014", &span(), Relation::Mentions).unwrap_err();
        assert!(e.help.unwrap().contains("`decision`"));
        let e = parse_reference("burglary", &span(), Relation::Mentions).unwrap_err();
        assert!(e.message.contains("does not say what kind"));
    }
}
