//! The check of a stated total against the amounts it sums, shared by
//! grants tables (checked at link time) and budget tables (checked when
//! parsed). Real tables round each row, so the default tolerance is half a
//! unit in the last written place, per amount: £201.3m stated against rows
//! summing to £201.4m passes with a note saying so; a gross error fails.

use serde::Serialize;

use crate::types::Decimal;

/// What the site can say about a total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TotalCheck {
    /// Sum of the stated amounts, as printed (e.g. `11,570`).
    pub sum_text: Option<String>,
    pub stated_text: Option<String>,
    pub tolerance_text: Option<String>,
    /// A sentence for readers: checked, within rounding, or cannot be checked.
    pub note: String,
    pub missing_amounts: usize,
}

/// A total that does not hold: the message and its help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The stated total is what disagrees (not the rows' own size).
    pub on_total: bool,
    pub message: String,
    pub help: &'static str,
}

/// Sums `amounts` (`None` where the source states none) and compares the
/// sum with `stated`, within `tolerance` or the default one. `unit` is how
/// the amounts are written (`£m`), for the sentences.
pub fn check(
    amounts: &[Option<Decimal>],
    stated: Option<Decimal>,
    tolerance: Option<Decimal>,
    unit: &str,
) -> (TotalCheck, Option<Mismatch>) {
    let given: Vec<Decimal> = amounts.iter().flatten().copied().collect();
    let missing = amounts.len() - given.len();
    let Some(sum) = given
        .iter()
        .try_fold(Decimal::ZERO, |acc, a| acc.checked_add(*a))
    else {
        let check = TotalCheck {
            note: "The rows are too large to add up.".into(),
            missing_amounts: missing,
            ..TotalCheck::default()
        };
        let mismatch = Mismatch {
            on_total: false,
            message: "the amounts of this table are too large to add up".into(),
            help: "check the amounts and the table's `unit:`; no amount may be more than £1 trillion",
        };
        return (check, Some(mismatch));
    };
    let mut check = TotalCheck {
        sum_text: Some(sum.grouped()),
        missing_amounts: missing,
        ..TotalCheck::default()
    };
    let plural = |n: usize| if n == 1 { " is" } else { "s are" };
    let Some(total) = stated else {
        if missing > 0 {
            check.note = format!(
                "The source does not state a total, and {missing} amount{} not stated, so no total is given here.",
                plural(missing)
            );
            check.sum_text = None;
        } else {
            check.note = format!(
                "The source does not state a total. The rows add up to {} ({unit}).",
                sum.grouped()
            );
        }
        return (check, None);
    };
    check.stated_text = Some(total.grouped());
    if missing > 0 {
        check.note = format!(
            "The stated total cannot be checked because {missing} amount{} not stated.",
            plural(missing)
        );
        return (check, None);
    }
    let finest = given
        .iter()
        .chain(std::iter::once(&total))
        .map(|d| d.scale())
        .max()
        .unwrap_or(0);
    let half_unit =
        Decimal::parse(&format!("0.{}5", "0".repeat(finest as usize))).unwrap_or(Decimal::ZERO);
    let tolerance = tolerance
        .or_else(|| half_unit.checked_mul_int(given.len().max(1) as i128))
        .unwrap_or(Decimal::ZERO);
    check.tolerance_text = Some(tolerance.grouped());
    let difference = sum
        .checked_sub(total)
        .map_or(Decimal::from_int(i64::MAX), Decimal::abs);
    if difference == Decimal::ZERO {
        check.note = format!(
            "The rows add up to the stated total of {} ({unit}).",
            total.grouped()
        );
        (check, None)
    } else if difference <= tolerance {
        check.note = format!(
            "The rows add up to {} against a stated total of {} ({unit}): a difference of {}, within the rounding tolerance of ±{}.",
            sum.grouped(),
            total.grouped(),
            difference.grouped(),
            tolerance.grouped()
        );
        (check, None)
    } else {
        let mismatch = Mismatch {
            on_total: true,
            message: format!(
                "the stated total {} does not match the rows, which add up to {} ({unit}); the difference {} is more than the rounding tolerance ±{}",
                total.grouped(),
                sum.grouped(),
                difference.grouped(),
                tolerance.grouped()
            ),
            help: "check each row's amount against the source; if the source itself is inconsistent, keep its figures and set `total_tolerance:` with a note saying so",
        };
        (check, Some(mismatch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<Decimal> {
        Decimal::parse(text)
    }

    #[test]
    fn a_rounded_total_passes_with_a_note_and_a_wrong_one_fails() {
        // North Yorkshire's 2023/24 funding column: 201.3 against 201.4.
        let column = [d("83.8"), d("92.4"), d("7.9"), d("8.8"), d("8.4")];
        let (note, mismatch) = check(&column, d("201.4"), None, "£m");
        assert!(mismatch.is_none(), "{mismatch:?}");
        assert!(
            note.note.contains("within the rounding tolerance"),
            "{}",
            note.note
        );
        let (_, mismatch) = check(&column, d("210.4"), None, "£m");
        assert!(mismatch.expect("a mismatch").message.contains("201.3"));
        let (note, mismatch) = check(&[d("1"), None], d("1"), None, "£");
        assert!(mismatch.is_none());
        assert!(
            note.note
                .contains("cannot be checked because 1 amount is not stated")
        );
    }
}
