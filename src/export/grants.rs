//! `grants.csv` (every row of every grants table, as the tables give it) and
//! the 360Giving export `grants-360giving.csv` / `.json`.
//!
//! Amounts are converted to pounds exactly (`Decimal`, never a float):
//! 3,863 in a table of £000s is 3863000. A row whose amount the source does
//! not state is kept, with the amount empty and the gap stated. Where the
//! source gives no organisation identifier or award date the cell is left
//! empty and the "Data Notes" column says so: nothing is invented.

use serde::Serialize;
use serde_json::value::RawValue;

use super::{
    Column, Cx, GENERATED, LICENCE, col, csv_file, decision, licence_text, opt, successor_json,
};
use crate::output::OutputFile;
use crate::records::{GrantRow, GrantsTable};
use crate::text::slug;
use crate::types::Date;

pub(crate) const COLUMNS: &[Column] = &[
    col(
        "table",
        "string",
        "The grants table's id (its page is grants/<table>/).",
    ),
    col(
        "financial_year",
        "string",
        "The financial year of the table, e.g. 2021/22.",
    ),
    col(
        "row_id",
        "string",
        "The row's id within its table (its page is grants/<table>/<row_id>/).",
    ),
    col(
        "area",
        "string",
        "What the money is for, as the table names it.",
    ),
    col(
        "recipient",
        "string",
        "The organisation that receives it, when the source names one.",
    ),
    col(
        "funder",
        "string",
        "Where the money comes from, when the source says (e.g. a Home Office grant).",
    ),
    col(
        "amount",
        "number",
        "The amount in the table's unit, as the table gives it (without thousands separators). Empty when the source does not state it.",
    ),
    col("unit", "string", "The table's unit: £, £000s or £m."),
    col(
        "amount_pounds",
        "number",
        "The amount in pounds, converted exactly from the table's unit.",
    ),
    col(
        "amount_note",
        "string",
        "Why the amount is missing or what qualifies it, as the site states it.",
    ),
    col("purpose", "string", "What the grant is for, as plain text."),
    col(
        "conditions",
        "string",
        "Conditions attached to it, as plain text.",
    ),
    col(
        "award_date",
        "date",
        "The date the grant was awarded, when the source gives it.",
    ),
    col(
        "approved_by",
        "string",
        "The number of the decision that approved the row (or else the whole table).",
    ),
    col(
        "commitments",
        "string",
        "Ids of the plan commitments it funds, separated by \"; \".",
    ),
    col("url", "string", "The row's permanent address."),
    LICENCE,
    GENERATED,
];

/// The ten required columns of the 360Giving Data Standard, in its exact
/// titles, then extra columns (the standard allows them).
pub(crate) const THREESIXTY_COLUMNS: &[Column] = &[
    col(
        "Identifier",
        "string",
        "360G- and a slug of the publishing organisation, then the table's and the row's ids. The prefix is not one registered with 360Giving.",
    ),
    col(
        "Title",
        "string",
        "What the money is for, as the table names it.",
    ),
    col(
        "Description",
        "string",
        "The row's purpose as plain text; the title again when the source gives no other description (Data Notes says so).",
    ),
    col("Currency", "string", "GBP."),
    col(
        "Amount Awarded",
        "number",
        "In pounds, converted exactly from the table's unit. Empty when the source does not state it (Amount Note says why).",
    ),
    col(
        "Award Date",
        "date",
        "The award date the source gives, or else the date of the decision that approved the grant (Data Notes says which); empty when there is neither.",
    ),
    col(
        "Recipient Org:Identifier",
        "string",
        "Empty: the source gives no organisation identifier (charity or company number).",
    ),
    col(
        "Recipient Org:Name",
        "string",
        "The recipient the source names; empty when it names none.",
    ),
    col(
        "Funding Org:Identifier",
        "string",
        "Empty: no organisation identifier is recorded for the publisher.",
    ),
    col(
        "Funding Org:Name",
        "string",
        "The organisation publishing this site, which commissioned the grant.",
    ),
    col("Grant Programme:Code", "string", "The grants table's id."),
    col(
        "Grant Programme:Title",
        "string",
        "The grants table's title.",
    ),
    col(
        "URL",
        "string",
        "The grant's permanent address on this site.",
    ),
    col("Data Source", "string", "The grants table it comes from."),
    col(
        "Amount Note",
        "string",
        "Why the amount is missing, when it is.",
    ),
    col(
        "Amount In Source",
        "string",
        "The amount as the source table gives it, with its unit.",
    ),
    col(
        "Financial Year",
        "string",
        "The financial year of the table.",
    ),
    col(
        "Source Of Funds",
        "string",
        "Where the money comes from, when the source says (e.g. a Home Office grant).",
    ),
    col(
        "Approved By",
        "string",
        "The number of the decision that approved the grant (or its table).",
    ),
    col(
        "Licence",
        "string",
        "The licence the data is published under.",
    ),
    col(
        "Data Notes",
        "string",
        "Which cells are empty or derived, and why.",
    ),
];

pub(crate) fn count(cx: &Cx<'_>) -> usize {
    cx.site.records.grants.iter().map(|g| g.rows.len()).sum()
}

fn rows<'a>(cx: &'a Cx<'a>) -> impl Iterator<Item = (&'a GrantsTable, &'a GrantRow)> {
    cx.site
        .records
        .grants
        .iter()
        .flat_map(|g| g.rows.iter().map(move |r| (g, r)))
}

/// The decision that approved a row: its own, or else its table's.
fn approved_by<'a>(table: &'a GrantsTable, row: &'a GrantRow) -> Option<&'a crate::refs::Ref> {
    row.approved_by.as_ref().or(table.approved_by.as_ref())
}

/// One grant in the 360Giving shape, shared by the CSV and the JSON.
struct Grant {
    identifier: String,
    title: String,
    description: String,
    amount: Option<String>,
    award_date: Option<Date>,
    recipient: Option<String>,
    programme_code: String,
    programme_title: String,
    url: String,
    data_source: String,
    amount_note: Option<String>,
    amount_in_source: Option<String>,
    financial_year: Option<String>,
    source_of_funds: Option<String>,
    approved_by: Option<String>,
    notes: Vec<String>,
}

fn threesixty(cx: &Cx<'_>) -> Vec<Grant> {
    let org = &cx.site.config.organisation;
    let prefix = format!("360G-{}", slug(org));
    rows(cx)
        .map(|(table, row)| {
            let mut notes = Vec::new();
            let amount = row.amount.and_then(|m| m.in_pounds()).map(|p| p.plain());
            match (&row.amount, &row.amount_note) {
                (Some(m), _) if m.unit.multiplier() != 1 => notes.push(format!(
                    "Amount Awarded is converted to pounds from {} {} in the source table.",
                    m.as_in_table(),
                    table.unit_label
                )),
                (Some(_), _) => {}
                (None, Some(note)) => notes.push(format!(
                    "Amount Awarded is empty: the amount is not stated ({note})."
                )),
                (None, None) => notes.push(
                    "Amount Awarded is empty: the amount is not stated in the source.".into(),
                ),
            }
            let approving = approved_by(table, row);
            let approving_decision = approving.and_then(|r| decision(cx.site, &r.target.key));
            let award_date = match (
                row.award_date,
                approving_decision.and_then(|d| d.described_date()),
            ) {
                (Some(d), _) => Some(d),
                (None, Some((d, how))) => {
                    let decision = approving_decision.expect("has a date");
                    notes.push(format!(
                        "Award Date is the date decision {} approving it was {how}.",
                        decision.number.as_deref().unwrap_or(&decision.meta.key)
                    ));
                    Some(d)
                }
                (None, None) => {
                    notes.push("Award Date is empty: the source gives no award date.".into());
                    None
                }
            };
            let description = match &row.purpose {
                Some(p) if !p.text.trim().is_empty() => p.text.clone(),
                _ => {
                    notes.push(
                        "Description repeats the title: the source gives no other description."
                            .into(),
                    );
                    row.area.clone()
                }
            };
            if row.recipient.is_none() {
                notes.push(
                    "Recipient Org:Name is empty: the source names no recipient organisation."
                        .into(),
                );
            }
            notes.push(
                "Recipient Org:Identifier is empty: the source gives no organisation identifier."
                    .into(),
            );
            notes.push(format!(
                "Funding Org:Identifier is empty: no organisation identifier is recorded for {org}."
            ));
            Grant {
                identifier: format!("{prefix}-{}-{}", table.meta.key, row.row_id),
                title: row.area.clone(),
                description,
                amount,
                award_date,
                recipient: row.recipient.clone(),
                programme_code: table.meta.key.clone(),
                programme_title: table.meta.title.clone(),
                url: cx.site.config.absolute(&row.meta.url),
                data_source: cx.site.config.absolute(&table.meta.url),
                amount_note: row.amount_note.clone(),
                amount_in_source: row
                    .amount
                    .map(|m| format!("{} {}", m.as_in_table(), table.unit_label)),
                financial_year: table.financial_year.clone(),
                source_of_funds: row.funder.clone(),
                approved_by: approving.map(|r| r.target.written.clone()),
                notes,
            }
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonGrant<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_awarded: Option<Box<RawValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    award_date: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    recipient_organization: Vec<Org<'a>>,
    funding_organization: Vec<Org<'a>>,
    grant_programme: Vec<Programme<'a>>,
    url: &'a str,
    data_source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount_in_source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    financial_year: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_of_funds: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_by: Option<&'a str>,
    data_notes: String,
}

#[derive(Serialize)]
struct Org<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Programme<'a> {
    code: &'a str,
    title: &'a str,
}

pub(crate) fn files(cx: &Cx<'_>) -> Vec<OutputFile> {
    let licence = licence_text(cx.site);
    let generated = cx.generated.iso();
    let table_rows: Vec<Vec<String>> = rows(cx)
        .map(|(table, row)| {
            vec![
                table.meta.key.clone(),
                opt(table.financial_year.as_ref()),
                row.row_id.clone(),
                row.area.clone(),
                opt(row.recipient.as_ref()),
                opt(row.funder.as_ref()),
                opt(row.amount.map(|m| m.amount.plain())),
                table.unit_label.to_string(),
                opt(row.amount.and_then(|m| m.in_pounds()).map(|p| p.plain())),
                opt(row.amount_note.as_ref()),
                opt(row.purpose.as_ref().map(|p| &p.text)),
                opt(row.conditions.as_ref().map(|p| &p.text)),
                opt(row.award_date.map(|d| d.iso())),
                opt(approved_by(table, row).map(|r| &r.target.written)),
                row.commitments
                    .iter()
                    .map(|c| c.target.key.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                cx.site.config.absolute(&row.meta.url),
                licence.clone(),
                generated.clone(),
            ]
        })
        .collect();

    let grants = threesixty(cx);
    let org = cx.site.config.organisation.as_str();
    let csv_rows: Vec<Vec<String>> = grants
        .iter()
        .map(|g| {
            vec![
                g.identifier.clone(),
                g.title.clone(),
                g.description.clone(),
                "GBP".into(),
                opt(g.amount.as_ref()),
                opt(g.award_date.map(|d| d.iso())),
                String::new(),
                opt(g.recipient.as_ref()),
                String::new(),
                org.to_string(),
                g.programme_code.clone(),
                g.programme_title.clone(),
                g.url.clone(),
                g.data_source.clone(),
                opt(g.amount_note.as_ref()),
                opt(g.amount_in_source.as_ref()),
                opt(g.financial_year.as_ref()),
                opt(g.source_of_funds.as_ref()),
                opt(g.approved_by.as_ref()),
                licence.clone(),
                g.notes.join(" "),
            ]
        })
        .collect();

    let json_grants: Vec<JsonGrant<'_>> = grants
        .iter()
        .map(|g| JsonGrant {
            id: &g.identifier,
            title: &g.title,
            description: &g.description,
            currency: "GBP",
            // The exact decimal as written, never through a float.
            amount_awarded: g
                .amount
                .as_ref()
                .and_then(|a| RawValue::from_string(a.clone()).ok()),
            award_date: g.award_date.map(|d| d.iso()),
            recipient_organization: g
                .recipient
                .as_deref()
                .map(|name| Org { name })
                .into_iter()
                .collect(),
            funding_organization: vec![Org { name: org }],
            grant_programme: vec![Programme {
                code: &g.programme_code,
                title: &g.programme_title,
            }],
            url: &g.url,
            data_source: &g.data_source,
            amount_note: g.amount_note.as_deref(),
            amount_in_source: g.amount_in_source.as_deref(),
            financial_year: g.financial_year.as_deref(),
            source_of_funds: g.source_of_funds.as_deref(),
            approved_by: g.approved_by.as_deref(),
            data_notes: g.notes.join(" "),
        })
        .collect();
    let config = &cx.site.config;
    let mut package = serde_json::json!({
        "title": format!("Grants of {}", config.organisation),
        "description": "Grants and services commissioned, from the grants tables published on this site. Amounts are in pounds; cells the source has no value for are left out and dataNotes says why.",
        "modified": cx.generated.iso(),
        "publisher": { "name": config.organisation, "website": config.base_url },
        "accessURL": config.absolute("data/"),
        "downloadURL": config.absolute("grants-360giving.json"),
    });
    if let Some(url) = &config.licence.url {
        package["license"] = url.clone().into();
    }
    package["licenseName"] = config.licence.name.clone().into();
    if let Some(s) = successor_json(cx) {
        package["successor"] = s;
    }
    // The grants keep their typed form so that amounts stay raw numbers
    // (`serde_json::Value` would hold them as floats).
    #[derive(Serialize)]
    struct Package<'a> {
        #[serde(flatten)]
        meta: &'a serde_json::Value,
        grants: &'a [JsonGrant<'a>],
    }
    let mut bytes = serde_json::to_vec_pretty(&Package {
        meta: &package,
        grants: &json_grants,
    })
    .unwrap_or_default();
    bytes.push(b'\n');

    vec![
        csv_file("grants.csv", COLUMNS, table_rows),
        csv_file("grants-360giving.csv", THREESIXTY_COLUMNS, csv_rows),
        OutputFile {
            path: "grants-360giving.json".into(),
            bytes,
        },
    ]
}
