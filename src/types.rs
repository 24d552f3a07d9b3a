//! Small types that carry meaning: record kinds, decision numbers, dates,
//! exact decimal amounts with their unit, and reporting periods.

use std::fmt;

/// Every kind of record the site publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kind {
    Plan,
    Section,
    Variation,
    Commitment,
    Metric,
    Grants,
    Grant,
    Decision,
    Register,
    Panel,
    Response,
    Paper,
    Meeting,
    Precept,
    Budget,
    AnnualReport,
    Performance,
    Document,
    Page,
}

/// What the site says about a kind, in one place: how references, pages,
/// lists and addresses name it.
#[derive(Debug)]
pub struct KindInfo {
    /// The word used in references: `[[decision 004/2014]]`.
    pub keyword: &'static str,
    pub label: &'static str,
    pub plural_label: &'static str,
    /// Where its records' pages sit: `decisions/` gives `decisions/<key>/`.
    pub prefix: &'static str,
    /// The page that lists its records (`""` when there is none).
    pub index: &'static str,
    /// The template of its records' pages.
    pub template: &'static str,
    /// The first line of its list page, when the page is made from this
    /// table (kinds with no list code of their own).
    pub intro: &'static str,
    /// The default theme's page template for it, when the kind brings its
    /// own (the older kinds' are listed in `render::theme::DEFAULT_FILES`).
    pub default_template: Option<&'static str>,
}

const fn info(
    keyword: &'static str,
    label: &'static str,
    plural_label: &'static str,
    prefix: &'static str,
    index: &'static str,
    template: &'static str,
    intro: &'static str,
) -> KindInfo {
    KindInfo {
        keyword,
        label,
        plural_label,
        prefix,
        index,
        template,
        intro,
        default_template: None,
    }
}

impl Kind {
    pub(crate) const ALL: [Kind; 19] = [
        Kind::Plan,
        Kind::Section,
        Kind::Variation,
        Kind::Commitment,
        Kind::Metric,
        Kind::Grants,
        Kind::Grant,
        Kind::Decision,
        Kind::Register,
        Kind::Panel,
        Kind::Response,
        Kind::Paper,
        Kind::Meeting,
        Kind::Precept,
        Kind::Budget,
        Kind::AnnualReport,
        Kind::Performance,
        Kind::Document,
        Kind::Page,
    ];

    pub(crate) fn info(self) -> &'static KindInfo {
        const PLAN: KindInfo = info("plan", "Plan", "Plans", "plan/", "plan/", "plan.html", "");
        const SECTION: KindInfo = info(
            "section",
            "Plan section",
            "Plan sections",
            "plan/",
            "plan/",
            "section.html",
            "",
        );
        const VARIATION: KindInfo = info(
            "variation",
            "Plan variation",
            "Plan variations",
            "variations/",
            "variations/",
            "variation.html",
            "",
        );
        const COMMITMENT: KindInfo = info(
            "commitment",
            "Commitment",
            "Commitments",
            "commitments/",
            "commitments/",
            "commitment.html",
            "",
        );
        const METRIC: KindInfo = info(
            "metric",
            "Metric",
            "Metrics",
            "metrics/",
            "metrics/",
            "metric.html",
            "",
        );
        const GRANTS: KindInfo = info(
            "grants",
            "Grants table",
            "Grants tables",
            "grants/",
            "grants/",
            "grants.html",
            "",
        );
        const GRANT: KindInfo = info(
            "grant",
            "Grant",
            "Grants",
            "grants/",
            "grants/",
            "grant.html",
            "",
        );
        const DECISION: KindInfo = info(
            "decision",
            "Decision",
            "Decisions",
            "decisions/",
            "decisions/",
            "decision.html",
            "",
        );
        const PANEL: KindInfo = info(
            "panel",
            "Panel document",
            "Panel documents",
            "panel/",
            "panel/",
            "panel.html",
            "",
        );
        const RESPONSE: KindInfo = info(
            "response",
            "Response",
            "Responses",
            "responses/",
            "responses/",
            "response.html",
            "",
        );
        const PAPER: KindInfo = info(
            "paper",
            "Meeting paper",
            "Meeting papers",
            "papers/",
            "papers/",
            "paper.html",
            "",
        );
        const MEETING: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/meeting.html")),
            ..info(
                "meeting",
                "Meeting",
                "Meetings",
                "meetings/",
                "meetings/",
                "meeting.html",
                "Meetings of the Police and Crime Panel, boards and other bodies, with their agendas, papers and minutes.",
            )
        };
        const PRECEPT: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/precept.html")),
            ..info(
                "precept",
                "Precept",
                "Precepts",
                "precepts/",
                "precepts/",
                "precept.html",
                "The precept for each financial year: the Commissioner's proposal, the Police and Crime Panel's report on it, any veto and revised precept, and the precept issued, against the statutory timetable.",
            )
        };
        const BUDGET: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/budget.html")),
            ..info(
                "budget",
                "Budget",
                "Budgets",
                "budgets/",
                "budgets/",
                "budget.html",
                "The Commissioner's budgets: income and expenditure by year, with each stated total checked against its rows.",
            )
        };
        const ANNUAL_REPORT: KindInfo = KindInfo {
            default_template: Some(include_str!(
                "../themes/default/templates/annual-report.html"
            )),
            ..info(
                "annual-report",
                "Annual report",
                "Annual reports",
                "annual-reports/",
                "annual-reports/",
                "annual-report.html",
                "The Commissioner's annual report for each financial year, the commitments it reports on, and the Police and Crime Panel's report on it and the Commissioner's response.",
            )
        };
        const PERFORMANCE: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/performance.html")),
            ..info(
                "performance",
                "Performance report",
                "Performance reports",
                "performance/",
                "performance/",
                "performance.html",
                "Reports on performance against the plan for a period, each indicator with its figure and its grade.",
            )
        };
        const REGISTER: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/register.html")),
            ..info(
                "register",
                "Register of decisions",
                "Registers of decisions",
                "registers/",
                "registers/",
                "register.html",
                "Decisions as the organisation lists them in its registers, under the register's own headings; each entry has its own page.",
            )
        };
        const DOCUMENT: KindInfo = KindInfo {
            default_template: Some(include_str!("../themes/default/templates/document.html")),
            ..info(
                "document",
                "Document published elsewhere",
                "Documents published elsewhere",
                "documents/",
                "documents/",
                "document.html",
                "Documents this site refers to that are published elsewhere (by the Police and Crime Panel, the Home Office or others), each with who publishes it and a link to it.",
            )
        };
        const PAGE: KindInfo = info("page", "Page", "Pages", "", "", "page.html", "");
        match self {
            Kind::Plan => &PLAN,
            Kind::Section => &SECTION,
            Kind::Variation => &VARIATION,
            Kind::Commitment => &COMMITMENT,
            Kind::Metric => &METRIC,
            Kind::Grants => &GRANTS,
            Kind::Grant => &GRANT,
            Kind::Decision => &DECISION,
            Kind::Register => &REGISTER,
            Kind::Panel => &PANEL,
            Kind::Response => &RESPONSE,
            Kind::Paper => &PAPER,
            Kind::Meeting => &MEETING,
            Kind::Precept => &PRECEPT,
            Kind::Budget => &BUDGET,
            Kind::AnnualReport => &ANNUAL_REPORT,
            Kind::Performance => &PERFORMANCE,
            Kind::Document => &DOCUMENT,
            Kind::Page => &PAGE,
        }
    }

    /// The word used in references: `[[decision 004/2014]]`.
    pub(crate) fn keyword(self) -> &'static str {
        self.info().keyword
    }

    pub(crate) fn from_keyword(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.keyword() == word)
    }

    pub(crate) fn label(self) -> &'static str {
        self.info().label
    }

    pub(crate) fn plural_label(self) -> &'static str {
        self.info().plural_label
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A decision number exactly as the organisation writes it, with the
/// normalised form used for its address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DecisionNumber {
    written: String,
}

impl DecisionNumber {
    pub fn new(written: &str) -> Option<DecisionNumber> {
        let written = written.trim();
        if crate::text::slug(written).is_empty() {
            return None;
        }
        Some(DecisionNumber {
            written: written.to_string(),
        })
    }

    pub(crate) fn as_written(&self) -> &str {
        &self.written
    }

    /// The path segment: lower case, every run of characters other than
    /// letters and digits becomes one `-`. `004/2014` → `004-2014`,
    /// `PCC-DN 1956` → `pcc-dn-1956`, `63 – 2014` → `63-2014`.
    pub fn slug(&self) -> String {
        crate::text::slug(&self.written)
    }
}

impl fmt::Display for DecisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// How a site's decision numbers are compared: `decision_numbers:` in
/// `site.yaml`. Two numbers are one decision when their canonical forms
/// (`NumberScheme::canonical`) are equal. The default keeps every
/// difference the address keeps, so a site that declares nothing is
/// addressed exactly as before.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NumberScheme {
    /// `false`: `044/2020` is `44/2020`, `PCCML-000500-2019` is
    /// `PCCML-500-2019`.
    #[serde(default = "significant")]
    pub leading_zeros_significant: bool,
    /// `false`: a space or hyphen between letters and digits is not part of
    /// the number, so `PCD697` is `PCD 697` and `PCD-697`.
    #[serde(default = "significant")]
    pub spacing_significant: bool,
    /// Whose running numbers these are, shown beside each number on its
    /// page: `GMCA ref` for Greater Manchester's bare `2758`.
    #[serde(default)]
    pub series: Option<String>,
}

fn significant() -> bool {
    true
}

impl Default for NumberScheme {
    fn default() -> Self {
        NumberScheme {
            leading_zeros_significant: true,
            spacing_significant: true,
            series: None,
        }
    }
}

impl NumberScheme {
    /// The form two numbers are compared in, from a number or from its
    /// address segment (the slug keeps what this looks at): lower case,
    /// letters and digits in runs joined by `-`. `PCD697` → `pcd-697`
    /// without significant spacing; `044/2020` → `44-2020` without
    /// significant zeros (a run of zeros alone stays `0`). With the
    /// defaults it is the address segment itself.
    pub fn canonical(&self, number: &str) -> String {
        let slug = crate::text::slug(number);
        if self.leading_zeros_significant && self.spacing_significant {
            return slug;
        }
        let mut parts: Vec<String> = Vec::new();
        for word in slug.split('-') {
            if self.spacing_significant {
                parts.push(word.to_string());
                continue;
            }
            // Letters and digits in separate runs.
            let mut run = String::new();
            for c in word.chars() {
                if let Some(last) = run.chars().last()
                    && last.is_ascii_digit() != c.is_ascii_digit()
                {
                    parts.push(std::mem::take(&mut run));
                }
                run.push(c);
            }
            parts.push(run);
        }
        if !self.leading_zeros_significant {
            for p in &mut parts {
                if p.bytes().all(|b| b.is_ascii_digit()) {
                    let trimmed = p.trim_start_matches('0');
                    *p = if trimmed.is_empty() { "0" } else { trimmed }.to_string();
                }
            }
        }
        parts.join("-")
    }
}

/// Is this a valid record id: lower case letters, digits, `-`, `.` and `/`
/// (the last only where a kind allows nesting), not starting with a symbol.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// A calendar date, `YYYY-MM-DD` in content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Date(jiff::civil::Date);

impl Date {
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        if text.len() != 10 {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Date)
    }

    /// A day that exists (the statutory deadlines); `None` never arises
    /// for them, and an impossible day falls back to the month's first.
    pub(crate) fn from_ymd(year: i16, month: i8, day: i8) -> Date {
        Date(
            jiff::civil::Date::new(year, month, day)
                .unwrap_or_else(|_| jiff::civil::date(year, month, 1)),
        )
    }

    pub(crate) fn iso(&self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
    }

    /// "5 March 2014", the GOV.UK style.
    pub(crate) fn long(&self) -> String {
        format!("{} {}", self.0.day(), self.0.strftime("%B %Y"))
    }

    pub(crate) fn year(&self) -> i16 {
        self.0.year()
    }

    /// Months between two dates, rounded down.
    pub(crate) fn months_until(&self, later: Date) -> i32 {
        let years = i32::from(later.0.year()) - i32::from(self.0.year());
        let months = i32::from(later.0.month()) - i32::from(self.0.month());
        let mut total = years * 12 + months;
        if later.0.day() < self.0.day() {
            total -= 1;
        }
        total
    }
}

/// Templates get `{iso, long, year}`: machine and human forms together.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("iso", &self.iso())?;
        m.serialize_entry("long", &self.long())?;
        m.serialize_entry("year", &self.year())?;
        m.end()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// An exact decimal number: `mantissa × 10^-scale`. Money and metric values
/// are never floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Decimal {
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    pub(crate) const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// Parses `3863`, `3,863`, `-1.25`, `201.3`. Thousands separators must
    /// be in groups of three; no currency symbols (the unit says that).
    pub(crate) fn parse(text: &str) -> Option<Decimal> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match digits.split_once('.') {
            Some((i, f)) => (i, f),
            None => (digits, ""),
        };
        if int_part.is_empty() || !valid_grouping(int_part) {
            return None;
        }
        if !frac_part.chars().all(|c| c.is_ascii_digit()) || frac_part.len() > 12 {
            return None;
        }
        let mut mantissa: i128 = 0;
        for c in int_part
            .chars()
            .filter(|c| *c != ',')
            .chain(frac_part.chars())
        {
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(c as u8 - b'0'))?;
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Decimal {
            mantissa,
            scale: frac_part.len() as u32,
        })
    }

    pub(crate) fn from_int(value: i64) -> Decimal {
        Decimal {
            mantissa: i128::from(value),
            scale: 0,
        }
    }

    /// The mantissa at a finer `scale`; `None` when it does not fit.
    fn rescale(self, scale: u32) -> Option<i128> {
        10i128
            .checked_pow(scale - self.scale.min(scale))
            .and_then(|f| self.mantissa.checked_mul(f))
    }

    /// The sum, or `None` when it is too large to hold: totals never wrap
    /// round to a wrong (negative) figure.
    pub(crate) fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        Some(
            Decimal {
                mantissa: self.rescale(scale)?.checked_add(other.rescale(scale)?)?,
                scale,
            }
            .normalised(),
        )
    }

    pub(crate) fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(Decimal {
            mantissa: other.mantissa.checked_neg()?,
            scale: other.scale,
        })
    }

    /// The product, or `None` when it is too large to hold.
    pub(crate) fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        Some(
            Decimal {
                mantissa: self.mantissa.checked_mul(other.mantissa)?,
                scale: self.scale.checked_add(other.scale)?,
            }
            .normalised(),
        )
    }

    pub(crate) fn checked_mul_int(self, factor: i128) -> Option<Decimal> {
        Some(
            Decimal {
                mantissa: self.mantissa.checked_mul(factor)?,
                scale: self.scale,
            }
            .normalised(),
        )
    }

    /// The magnitude; saturates at the largest value for the one
    /// mantissa that has no positive counterpart.
    pub(crate) fn abs(self) -> Decimal {
        Decimal {
            mantissa: self.mantissa.saturating_abs(),
            scale: self.scale,
        }
    }

    pub(crate) fn scale(self) -> u32 {
        self.scale
    }

    fn normalised(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    /// Only for drawing charts: geometry, never arithmetic on money.
    pub(crate) fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Plain form for data files: `3863000`, `201.3`.
    pub(crate) fn plain(self) -> String {
        let n = self.normalised();
        let digits = n.mantissa.abs().to_string();
        let sign = if n.mantissa < 0 { "-" } else { "" };
        if n.scale == 0 {
            return format!("{sign}{digits}");
        }
        let scale = n.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (i, f) = padded.split_at(padded.len() - scale);
        format!("{sign}{i}.{f}")
    }

    /// With thousands separators, for people: `3,863`, `201.3`.
    pub(crate) fn grouped(self) -> String {
        let plain = self.plain();
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (int_part, frac) = match rest.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (rest, None),
        };
        let mut grouped = String::new();
        for (i, c) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}.{f}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    /// Exact for every pair, however large: whole parts first, then the
    /// fractions (which always fit at a common scale).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let scale = self.scale.max(other.scale);
        if let (Some(a), Some(b)) = (self.rescale(scale), other.rescale(scale)) {
            return a.cmp(&b);
        }
        let split = |d: &Decimal| {
            let unit = 10i128.pow(d.scale.min(38));
            (
                d.mantissa.div_euclid(unit),
                d.mantissa.rem_euclid(unit),
                d.scale,
            )
        };
        let (a_whole, a_frac, a_scale) = split(self);
        let (b_whole, b_frac, b_scale) = split(other);
        a_whole.cmp(&b_whole).then_with(|| {
            let a = Decimal {
                mantissa: a_frac,
                scale: a_scale,
            };
            let b = Decimal {
                mantissa: b_frac,
                scale: b_scale,
            };
            match (a.rescale(scale), b.rescale(scale)) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => a.to_f64().total_cmp(&b.to_f64()),
            }
        })
    }
}

fn valid_grouping(int_part: &str) -> bool {
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return false;
    }
    if !int_part.contains(',') {
        return true;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)
}

/// The unit every amount of a grants table is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoneyUnit {
    Pounds,
    Thousands,
    Millions,
}

impl MoneyUnit {
    pub(crate) fn parse(text: &str) -> Option<MoneyUnit> {
        match text.trim().replace('’', "'").as_str() {
            "£" | "GBP" | "pounds" => Some(MoneyUnit::Pounds),
            "£000s" | "£000" | "£000's" | "£k" => Some(MoneyUnit::Thousands),
            "£m" | "£ million" | "£millions" => Some(MoneyUnit::Millions),
            _ => None,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            MoneyUnit::Pounds => "£",
            MoneyUnit::Thousands => "£000s",
            MoneyUnit::Millions => "£m",
        }
    }

    pub(crate) fn multiplier(self) -> i128 {
        match self {
            MoneyUnit::Pounds => 1,
            MoneyUnit::Thousands => 1_000,
            MoneyUnit::Millions => 1_000_000,
        }
    }
}

/// The largest amount of money a grants table may state, in pounds: £1
/// trillion, far past any police budget, so that a typing slip (or a hostile
/// figure) is an error rather than an overflowing total.
pub(crate) const MAX_POUNDS: i64 = 1_000_000_000_000;

/// An amount of money in a stated unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Money {
    pub(crate) amount: Decimal,
    pub(crate) unit: MoneyUnit,
}

impl Money {
    /// The amount in pounds; `None` only past what the number type holds
    /// (grants tables refuse amounts over `MAX_POUNDS` long before).
    pub(crate) fn in_pounds(self) -> Option<Decimal> {
        self.amount.checked_mul_int(self.unit.multiplier())
    }

    /// Whether the amount is more than `MAX_POUNDS` either way.
    pub(crate) fn too_large(self) -> bool {
        self.in_pounds()
            .is_none_or(|p| p.abs() > Decimal::from_int(MAX_POUNDS))
    }

    /// As printed in the table: `3,863` (the unit is in the column header).
    pub(crate) fn as_in_table(self) -> String {
        self.amount.grouped()
    }

    /// Fully spelled for people: `£3,863,000`.
    pub(crate) fn pounds_display(self) -> String {
        match self.in_pounds() {
            Some(p) => format!("£{}", p.grouped()),
            None => format!("{} {}", self.amount.grouped(), self.unit.label()),
        }
    }
}

/// A reporting period of a metric series.
///
/// Two periods are the same when they cover the same months, however they
/// are written: `2021-22` and `2021/22`, or `2023-03` and `March 2023`.
#[derive(Debug, Clone)]
pub(crate) struct Period {
    /// Sort key: start year, start month, length in months.
    key: (i32, u32, u32),
    /// A quarter of a financial year (`2023/24 Q3`) rather than of a
    /// calendar year: it is labelled the way the source wrote it.
    financial_quarter: bool,
    written: String,
}

impl PartialEq for Period {
    fn eq(&self, other: &Period) -> bool {
        self.key == other.key
    }
}

impl Eq for Period {}

impl std::hash::Hash for Period {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Period) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Period) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// The forms [`Period::parse`] reads, for error messages.
pub(crate) const PERIOD_FORMS: &str = "2022-Q1 (quarter), 2022-03 or March 2022 (month), \
     2021-22 or 2021/22 (financial year), 2023/24 Q3 (quarter of a financial year, \
     Q1 = April to June) or 2022 (year)";

impl Period {
    /// `2022-Q1`, `2022-03`, `March 2022`, `2021-22` or `2021/22`
    /// (financial year), `2023/24 Q3` (financial-year quarter), `2022`.
    pub(crate) fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        let year = |s: &str| -> Option<i32> {
            (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let two_digits = |s: &str| -> Option<u32> {
            (s.len() == 2 && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let quarter = |s: &str| -> Option<u32> {
            s.strip_prefix(['Q', 'q'])?
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
        };
        let mut financial_quarter = false;
        let key = if let Some((y, rest)) = t.split_once('/') {
            // "2023/24" or "2023/24 Q3": a financial year, April to March.
            let y = year(y)?;
            let (end, q) = match rest.split_once(char::is_whitespace) {
                Some((end, q)) => (end, Some(quarter(q.trim())?)),
                None => (rest, None),
            };
            if two_digits(end)? != ((y + 1) % 100) as u32 {
                return None;
            }
            match q {
                None => (y, 4, 12),
                Some(q) => {
                    financial_quarter = true;
                    // Q1 is April to June, Q4 January to March of the next year.
                    let month = 4 + (q - 1) * 3;
                    if month > 12 {
                        (y + 1, month - 12, 3)
                    } else {
                        (y, month, 3)
                    }
                }
            }
        } else if let Some((y, rest)) = t.split_once('-') {
            let y = year(y)?;
            if let Some(q) = quarter(rest) {
                (y, (q - 1) * 3 + 1, 3)
            } else if let Some(n) = two_digits(rest) {
                if n == ((y + 1) % 100) as u32 {
                    // "2021-22" is a financial year, April to March; plans
                    // report in financial years, so "2011-12" reads as one too.
                    (y, 4, 12)
                } else if (1..=12).contains(&n) {
                    (y, n, 1)
                } else {
                    return None;
                }
            } else {
                return None;
            }
        } else if let Some((name, y)) = t.split_once(char::is_whitespace) {
            // "March 2023", as sources write months.
            let y = year(y.trim())?;
            let month = MONTH_NAMES
                .iter()
                .position(|m| m.eq_ignore_ascii_case(name))? as u32
                + 1;
            (y, month, 1)
        } else {
            (year(t)?, 1, 12)
        };
        Some(Period {
            key,
            financial_quarter,
            written: t.to_string(),
        })
    }

    /// The year a financial year (April to March) starts in; `None` for
    /// any other period.
    pub(crate) fn financial_year_start(&self) -> Option<i32> {
        let (y, m, len) = self.key;
        (m == 4 && len == 12).then_some(y)
    }

    pub(crate) fn as_written(&self) -> &str {
        &self.written
    }

    /// The last day it covers: a dated update of the period sorts there.
    pub(crate) fn last_day(&self) -> Date {
        let (y, m, len) = self.key;
        let after = m - 1 + len;
        let first_after =
            jiff::civil::date((y + (after / 12) as i32) as i16, (after % 12 + 1) as i8, 1);
        Date(first_after.yesterday().unwrap_or(first_after))
    }

    /// How many months it covers: 1, 3 or 12.
    pub(crate) fn months(&self) -> u32 {
        self.key.2
    }

    /// For people: "2022 Q1", "2023/24 Q3", "March 2022", "2021/22", "2022".
    pub(crate) fn label(&self) -> String {
        let (y, m, len) = self.key;
        match len {
            3 if self.financial_quarter => {
                let start = if m < 4 { y - 1 } else { y };
                let q = (m + 12 - 4) % 12 / 3 + 1;
                format!("{start}/{:02} Q{q}", (start + 1) % 100)
            }
            3 => format!("{y} Q{}", (m - 1) / 3 + 1),
            1 => {
                let d = jiff::civil::date(y as i16, m as i8, 1);
                d.strftime("%B %Y").to_string()
            }
            12 if m == 4 => format!("{y}/{:02}", (y + 1) % 100),
            _ => y.to_string(),
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_numbers_normalise_for_addresses() {
        let slug = |s: &str| DecisionNumber::new(s).unwrap().slug();
        assert_eq!(slug("004/2014"), "004-2014");
        assert_eq!(slug("WPCC3-0089"), "wpcc3-0089");
        assert_eq!(slug("PCC-DN 1956"), "pcc-dn-1956");
        assert_eq!(slug("2020-19"), "2020-19");
        assert_eq!(slug("63 – 2014"), "63-2014");
        assert!(DecisionNumber::new(" / ").is_none());
    }

    #[test]
    fn a_number_scheme_says_which_forms_are_one_number() {
        let plain = NumberScheme::default();
        assert_eq!(plain.canonical("044/2020"), "044-2020");
        assert_eq!(plain.canonical("PCD697"), "pcd697");
        let zeros = NumberScheme {
            leading_zeros_significant: false,
            ..NumberScheme::default()
        };
        assert_eq!(zeros.canonical("044/2020"), zeros.canonical("44/2020"));
        assert_eq!(zeros.canonical("005/2022"), "5-2022");
        assert_eq!(zeros.canonical("PCCML-000500-2019"), "pccml-500-2019");
        assert_eq!(zeros.canonical("000"), "0");
        assert_ne!(zeros.canonical("PCD697"), zeros.canonical("PCD 697"));
        let spacing = NumberScheme {
            spacing_significant: false,
            ..NumberScheme::default()
        };
        assert_eq!(spacing.canonical("PCD697"), "pcd-697");
        assert_eq!(spacing.canonical("PCD 697"), "pcd-697");
        assert_eq!(spacing.canonical("PCD-697"), "pcd-697");
        assert_ne!(spacing.canonical("PCD 0697"), spacing.canonical("PCD 697"));
    }

    #[test]
    fn decimals_are_exact() {
        let a = Decimal::parse("201.3").unwrap();
        let b = Decimal::parse("0.1").unwrap();
        assert_eq!(a.checked_add(b).unwrap().plain(), "201.4");
        assert_eq!(Decimal::parse("3,863").unwrap().plain(), "3863");
        assert_eq!(
            Decimal::parse("1234567.5").unwrap().grouped(),
            "1,234,567.5"
        );
        assert!(Decimal::parse("3,86").is_none());
        assert!(Decimal::parse("£3").is_none());
        assert!(Decimal::parse("1e3").is_none());
        assert_eq!(Decimal::parse("-0.25").unwrap().plain(), "-0.25");
    }

    #[test]
    fn arithmetic_past_the_number_type_is_none_and_comparison_stays_exact() {
        let big = Decimal::parse("99999999999999999999999999999999999999").unwrap();
        assert_eq!(big.checked_add(big), None);
        assert_eq!(big.checked_mul_int(1_000), None);
        let tiny = Decimal::parse("0.000000000001").unwrap();
        assert!(
            big > tiny,
            "rescaling would overflow; the order is still right"
        );
        assert!(big.checked_sub(big).unwrap() < tiny);
        let m = Money {
            amount: Decimal::parse("1000000001").unwrap(),
            unit: MoneyUnit::Thousands,
        };
        assert!(m.too_large());
    }

    #[test]
    fn money_converts_thousands_to_pounds() {
        let m = Money {
            amount: Decimal::parse("3,863").unwrap(),
            unit: MoneyUnit::Thousands,
        };
        assert_eq!(m.in_pounds().unwrap().plain(), "3863000");
        assert_eq!(m.pounds_display(), "£3,863,000");
        assert_eq!(MoneyUnit::parse("£000’s"), Some(MoneyUnit::Thousands));
    }

    #[test]
    fn periods_parse_and_sort() {
        let mut ps: Vec<Period> = ["2022-Q2", "2021-22", "2022-Q1", "2022-03", "2021"]
            .iter()
            .map(|p| Period::parse(p).unwrap())
            .collect();
        ps.sort();
        let order: Vec<&str> = ps.iter().map(|p| p.as_written()).collect();
        assert_eq!(order, ["2021", "2021-22", "2022-Q1", "2022-03", "2022-Q2"]);
        assert_eq!(Period::parse("2021-22").unwrap().label(), "2021/22");
        assert_eq!(Period::parse("2022-Q3").unwrap().label(), "2022 Q3");
        assert_eq!(Period::parse("2022-03").unwrap().label(), "March 2022");
        assert!(Period::parse("2022-Q5").is_none());
        assert!(Period::parse("22-Q1").is_none());
        assert!(Period::parse("2022-13").is_none());
    }

    #[test]
    fn financial_year_forms_parse_and_sort_with_the_others() {
        let p = |s: &str| Period::parse(s).unwrap();
        // Q1 of a financial year is April to June; Q4 is January to March.
        let mut ps: Vec<Period> = [
            "2024-Q2",
            "2023/24 Q4",
            "2023/24 Q3",
            "2023-09",
            "2023/24",
            "2023/24 Q1",
            "March 2023",
            "2023",
        ]
        .iter()
        .map(|s| p(s))
        .collect();
        ps.sort();
        let order: Vec<&str> = ps.iter().map(|p| p.as_written()).collect();
        assert_eq!(
            order,
            [
                "2023",
                "March 2023",
                "2023/24 Q1",
                "2023/24",
                "2023-09",
                "2023/24 Q3",
                "2023/24 Q4",
                "2024-Q2"
            ]
        );
        assert_eq!(p("2023/24").label(), "2023/24");
        assert_eq!(p("2023/24 Q3").label(), "2023/24 Q3");
        assert_eq!(p("2023/24 Q4").label(), "2023/24 Q4");
        assert_eq!(p("2023/24 q1").label(), "2023/24 Q1");
        assert_eq!(p("March 2023").label(), "March 2023");
        assert_eq!(p("march 2023").label(), "March 2023");
        // The same months however written: a series cannot hold both.
        assert_eq!(p("2021/22"), p("2021-22"));
        assert_eq!(p("March 2023"), p("2023-03"));
        assert_eq!(p("2023/24 Q4"), p("2024-Q1"));
        assert!(Period::parse("2023/25").is_none());
        assert!(Period::parse("2023/24 Q5").is_none());
        assert!(Period::parse("2023/24 Q").is_none());
        assert!(Period::parse("Marc 2023").is_none());
        assert!(Period::parse("March 23").is_none());
        assert!(Period::parse("2023/24 Q3 extra").is_none());
        // Only an April-to-March year is a financial year.
        let fy = |s: &str| Period::parse(s).unwrap().financial_year_start();
        assert_eq!(fy("2023/24"), Some(2023));
        assert_eq!(fy("2019-20"), Some(2019));
        assert_eq!(fy("2023"), None);
        assert_eq!(fy("2023/24 Q1"), None);
        assert_eq!(fy("March 2023"), None);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(Date::parse("2014-03-05").unwrap().long(), "5 March 2014");
        assert!(Date::parse("2014-3-5").is_none());
        assert!(Date::parse("2014-02-30").is_none());
    }
}
