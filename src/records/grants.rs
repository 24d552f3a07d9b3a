//! Grants tables: rows with exact amounts in a stated unit. The check of a
//! table's stated total against its rows lives in `link::checks`.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Decimal, Kind, Money, MoneyUnit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    id: Spanned<String>,
    title: String,
    financial_year: Option<String>,
    unit: Spanned<String>,
    plan: Option<Spanned<String>>,
    section: Option<Spanned<String>>,
    stated_total: Option<Spanned<String>>,
    total_tolerance: Option<Spanned<String>>,
    approved_by: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
    notes: Option<Spanned<String>>,
    source: Option<String>,
    rows: Vec<RawRow>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    changes: Vec<super::RawChange>,
    withdrawn: Option<super::RawWithdrawn>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    id: Spanned<String>,
    area: String,
    recipient: Option<String>,
    amount: Option<Spanned<String>>,
    amount_note: Option<String>,
    funder: Option<String>,
    purpose: Option<Spanned<String>>,
    conditions: Option<Spanned<String>>,
    approved_by: Option<Spanned<String>>,
    award_date: Option<Spanned<String>>,
    #[serde(default)]
    commitments: Vec<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantRow {
    pub meta: Meta,
    pub row_id: String,
    pub table: String,
    pub area: String,
    pub recipient: Option<String>,
    #[serde(skip)]
    pub amount: Option<Money>,
    /// As printed in the table, e.g. `3,863`.
    pub amount_text: Option<String>,
    /// In pounds, e.g. `£3,863,000`.
    pub amount_pounds: Option<String>,
    pub amount_note: Option<String>,
    pub funder: Option<String>,
    pub purpose: Option<Md>,
    pub conditions: Option<Md>,
    pub approved_by: Option<Ref>,
    pub award_date: Option<crate::types::Date>,
    pub commitments: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GrantsTable {
    pub meta: Meta,
    pub financial_year: Option<String>,
    #[serde(skip)]
    pub unit: MoneyUnit,
    pub unit_label: &'static str,
    pub plan: Option<Ref>,
    pub section: Option<Ref>,
    #[serde(skip)]
    pub stated_total: Option<Decimal>,
    #[serde(skip)]
    pub stated_total_span: Option<Span>,
    #[serde(skip)]
    pub tolerance: Option<Decimal>,
    pub approved_by: Option<Ref>,
    pub intro: Option<Md>,
    pub notes: Option<Md>,
    pub source: Option<String>,
    pub rows: Vec<GrantRow>,
    /// Filled by the link stage's total check.
    pub total: TotalCheck,
}

pub use super::totals::TotalCheck;

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let raw: RawTable = match decode_yaml(&file.text, &file.path, 1) {
        Ok(r) => r,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, 1);
    let id = cx.id(&raw.id);
    let unit = MoneyUnit::parse(&raw.unit.value).unwrap_or_else(|| {
        let span = cx.span(&raw.unit);
        cx.error(
            span,
            format!("`{}` is not a unit of money plansite knows", raw.unit.value),
            "use \"£\", \"£000s\" or \"£m\"",
        );
        MoneyUnit::Pounds
    });
    const MISSING: &str =
        "leave `amount` out and give `amount_note` when the source does not state it";
    let decimal =
        |cx: &mut Cx<'_>, v: &Spanned<String>, what: &str| cx.amount(v, unit, what, MISSING);
    let stated_total = raw
        .stated_total
        .as_ref()
        .and_then(|v| decimal(&mut cx, v, "stated_total"));
    let tolerance = raw
        .total_tolerance
        .as_ref()
        .and_then(|v| decimal(&mut cx, v, "total_tolerance"));
    let plan = raw
        .plan
        .as_ref()
        .map(|p| cx.typed(Kind::Plan, p, Relation::PartOf));
    let section = match (&raw.plan, &raw.section) {
        (Some(p), Some(s)) => Some(cx.section_ref(p, s, None)),
        _ => None,
    };
    let approved_by = raw
        .approved_by
        .as_ref()
        .map(|d| cx.typed(Kind::Decision, d, Relation::Approves));
    let intro = cx.markdown(&raw.intro, Settings::default());
    let notes = cx.markdown(&raw.notes, Settings::default());

    let mut rows = Vec::with_capacity(raw.rows.len());
    let mut diagnostics = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in raw.rows {
        let mut rcx = Cx::new(&file.path, 1);
        let row_id = rcx.id(&r.id);
        if !seen.insert(row_id.clone()) {
            let span = rcx.span(&r.id);
            rcx.error(
                span,
                format!("two rows have the id `{row_id}`"),
                "give each row of a table its own id",
            );
        }
        let amount = r
            .amount
            .as_ref()
            .and_then(|v| decimal(&mut rcx, v, "amount"))
            .map(|amount| Money { amount, unit });
        if amount.is_none() && r.amount.is_none() && r.amount_note.is_none() {
            let span = rcx.span(&r.id);
            rcx.error(
                span,
                format!("row `{row_id}` has no amount and no `amount_note`"),
                "give the amount, or say why it is missing with `amount_note: not stated in the published plan`",
            );
        }
        let purpose = rcx.markdown(&r.purpose, Settings::default());
        let conditions = rcx.markdown(&r.conditions, Settings::default());
        let approved = r
            .approved_by
            .as_ref()
            .map(|d| rcx.typed(Kind::Decision, d, Relation::Approves));
        let award_date = rcx.date(&r.award_date);
        let commitments = rcx.typed_all(Kind::Commitment, &r.commitments, Relation::Funds);
        let key = format!("{}/{}", id, row_id);
        let mut meta = Meta::new(
            Kind::Grant,
            key,
            r.area.clone(),
            &file.path,
            rcx.span(&r.id),
        );
        let common = Common {
            draft: raw.draft,
            aliases: r.aliases,
            ..Common::default()
        };
        rcx.finish_meta(&mut meta, &common);
        diagnostics.append(&mut rcx.diagnostics);
        rows.push(GrantRow {
            meta,
            row_id,
            table: id.clone(),
            area: r.area,
            recipient: r.recipient,
            amount_text: amount.map(Money::as_in_table),
            amount_pounds: amount.map(Money::pounds_display),
            amount,
            amount_note: r.amount_note,
            funder: r.funder,
            purpose,
            conditions,
            approved_by: approved,
            award_date,
            commitments,
        });
    }
    let mut meta = Meta::new(Kind::Grants, id, raw.title, &file.path, cx.span(&raw.id));
    let common = Common {
        draft: raw.draft,
        aliases: raw.aliases,
        updated: raw.updated,
        changes: raw.changes,
        withdrawn: raw.withdrawn,
        related: raw.related,
    };
    let stated_total_span = raw.stated_total.as_ref().map(|v| cx.span(v));
    cx.finish_meta(&mut meta, &common);
    diagnostics.append(&mut cx.diagnostics);
    (
        Parsed::Grants(vec![GrantsTable {
            meta,
            financial_year: raw.financial_year,
            unit,
            unit_label: unit.label(),
            plan,
            section,
            stated_total,
            stated_total_span,
            tolerance,
            approved_by,
            intro,
            notes,
            source: raw.source,
            rows,
            total: TotalCheck::default(),
        }]),
        diagnostics,
    )
}

impl super::Record for GrantsTable {
    meta_field!();
    fn date(&self) -> Option<crate::types::Date> {
        None
    }
    fn withhold(&mut self) {
        self.intro = None;
        self.notes = None;
        self.rows.clear();
    }
    fn nested_metas(&self) -> Vec<&Meta> {
        self.rows.iter().map(|r| &r.meta).collect()
    }
}
