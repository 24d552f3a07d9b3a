//! Metric charts as inline SVG: a line of the published values, the target
//! as a dashed line, with a title and a description stating the latest
//! value against the target. The same figures are always in a table too.

use std::fmt::Write as _;

use crate::records::Metric;
use crate::records::metric::{Direction, Point};
use crate::text::escape_html;
use crate::types::Decimal;

/// One drawing of the chart: its size in SVG units and the font size of its
/// text. The page carries two: a wide one for screens of 40rem and more and a
/// narrow one for phones, each shown only where its text renders at 12 px or
/// more (CSS picks one; the other is `display: none`, so out of the
/// accessibility tree too).
struct Layout {
    /// Class and id suffix: `wide` or `narrow`.
    name: &'static str,
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    font: f64,
}

const WIDE: Layout = Layout {
    name: "wide",
    width: 640.0,
    height: 280.0,
    left: 60.0,
    right: 16.0,
    font: 14.0,
};

const NARROW: Layout = Layout {
    name: "narrow",
    width: 320.0,
    height: 300.0,
    left: 48.0,
    right: 8.0,
    font: 15.0,
};

/// `None` when the metric has no figures yet. Otherwise the wide and the
/// narrow drawing, one after the other.
pub fn svg(metric: &Metric) -> Option<String> {
    let mut s = draw(metric, &WIDE)?;
    s.push_str(&draw(metric, &NARROW)?);
    Some(s)
}

fn draw(metric: &Metric, layout: &Layout) -> Option<String> {
    // Figures in words ("not available") are in the table, not the chart.
    let numeric: Vec<(&Point, Decimal)> = metric
        .series
        .iter()
        .filter_map(|p| Some((p, p.value?)))
        .collect();
    let points: Vec<&Point> = numeric.iter().map(|(p, _)| *p).collect();
    if points.is_empty() {
        return None;
    }
    let (width, height, left, right, font) = (
        layout.width,
        layout.height,
        layout.left,
        layout.right,
        layout.font,
    );
    // A character is about 0.6 em wide in the sans-serif fonts used.
    let char_w = font * 0.6;
    let values: Vec<f64> = numeric.iter().map(|(_, v)| v.to_f64()).collect();
    let target = metric.target_value.map(|t| t.to_f64());
    // The target is named in a key above the plot, never on the plot where
    // it could cover the line; a long target wraps onto more lines.
    let key_lines = match (&metric.target, target) {
        (Some(t), Some(_)) => {
            let room = ((width - left - right - 40.0) / char_w).floor().max(8.0) as usize;
            wrap(&format!("Target: {t}"), room)
        }
        _ => Vec::new(),
    };
    let top = font + 4.0 + key_lines.len() as f64 * (font * 1.3);
    let bottom = font * 2.6;
    let mut lo = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if let Some(t) = target {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let (lo, hi, step) = nice_scale(lo, hi);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    // Each point sits in the middle of its own slot, so the first and last
    // period labels are centred under their points and never collide.
    let slot = plot_w / points.len() as f64;
    let x = |i: usize| left + slot * (i as f64 + 0.5);
    let y = |v: f64| top + plot_h * (1.0 - (v - lo) / (hi - lo));
    let unit = metric.unit.as_deref().unwrap_or("");
    let fmt = |v: &str| {
        if unit == "%" {
            format!("{v}%")
        } else if unit.is_empty() || unit == "number" {
            v.to_string()
        } else {
            format!("{v} {unit}")
        }
    };

    let (latest, latest_value) = *numeric.last().expect("not empty");
    let mut desc = format!(
        "{} values from {} to {}. Latest: {} in {}.",
        points.len(),
        points[0].period_label,
        latest.period_label,
        fmt(&latest.value_text),
        latest.period_label
    );
    let in_words = metric.series.len() - points.len();
    if in_words > 0 {
        let _ = write!(
            desc,
            " {in_words} period{} with no figure in numbers {} in the table only.",
            if in_words == 1 { "" } else { "s" },
            if in_words == 1 { "is" } else { "are" }
        );
    }
    if let (Some(t), Some(tv)) = (&metric.target, metric.target_value) {
        let met = match metric.direction {
            Direction::Higher => Some(latest_value > tv),
            Direction::Lower => Some(latest_value < tv),
            Direction::None => None,
        };
        let verdict = match met {
            Some(true) => "which meets the target",
            Some(false) => "which does not meet the target",
            None => "against the target",
        };
        let _ = write!(desc, " The target is {t}, {verdict}.");
    }
    let id = format!("{}-{}", escape_html(&metric.meta.key), layout.name);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart chart-{}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"chart-title-{id} chart-desc-{id}\" focusable=\"false\">\
<title id=\"chart-title-{id}\">{}</title><desc id=\"chart-desc-{id}\">{}</desc>",
        layout.name,
        escape_html(&format!("Chart of {}", metric.name)),
        escape_html(&desc)
    );
    // Gridlines and axis labels.
    let mut v = lo;
    while v <= hi + step / 2.0 {
        let yy = y(v);
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            width - right,
            left - 6.0,
            yy + font * 0.35,
            escape_html(&axis_label(&trim_number(v), unit))
        );
        v += step;
    }
    // Label every n-th period so that labels (at the estimated character
    // width, plus a gap of one character) fit in the slots they span.
    let longest = points
        .iter()
        .map(|p| p.period_label.chars().count())
        .max()
        .unwrap_or(1);
    let label_every = ((longest as f64 + 1.0) * char_w / slot).ceil().max(1.0) as usize;
    for (i, p) in points.iter().enumerate() {
        if i % label_every == 0 {
            let _ = write!(
                s,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x(i),
                height - bottom + font * 1.4,
                escape_html(&p.period_label)
            );
        }
    }
    if let Some(t) = target {
        let yy = y(t);
        let _ = write!(
            s,
            "<line class=\"target\" x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/>",
            width - right,
        );
        // The key: a short dashed line like the target's, then its words.
        let key_y = font + 2.0;
        let _ = write!(
            s,
            "<line class=\"target\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"target-label\" x=\"{:.1}\" y=\"{key_y:.1}\">",
            left + 30.0,
            key_y - font * 0.35,
            key_y - font * 0.35,
            left + 38.0,
        );
        for (n, line) in key_lines.iter().enumerate() {
            let dy = if n == 0 { 0.0 } else { font * 1.3 };
            let _ = write!(
                s,
                "<tspan x=\"{:.1}\" dy=\"{dy:.1}\">{}</tspan>",
                left + 38.0,
                escape_html(line)
            );
        }
        s.push_str("</text>");
    }
    let path: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let _ = write!(
        s,
        "<polyline class=\"series\" points=\"{}\"/>",
        path.join(" ")
    );
    for (i, v) in values.iter().enumerate() {
        // Markers are squares as well as a colour, so the line is readable
        // without colour.
        let _ = write!(
            s,
            "<rect class=\"point\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\"/>",
            x(i) - 3.5,
            y(*v) - 3.5
        );
    }
    s.push_str("</svg>");
    Some(s)
}

/// Words into lines of at most `room` characters (a longer word has a line
/// of its own).
pub(super) fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Axis labels carry only a short unit; a long one is in the caption.
fn axis_label(v: &str, unit: &str) -> String {
    if unit == "%" {
        format!("{v}%")
    } else {
        v.to_string()
    }
}

fn trim_number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Axis bounds on round numbers with about five steps.
fn nice_scale(lo: f64, hi: f64) -> (f64, f64, f64) {
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(0.0, 7.3), (0.0, 8.0, 2.0));
        assert_eq!(nice_scale(3.0, 4.0), (3.0, 4.0, 0.2));
    }

    #[test]
    fn long_targets_wrap_at_word_boundaries() {
        assert_eq!(
            wrap("Target: no less than 50% of cases", 12),
            ["Target: no", "less than", "50% of cases"]
        );
        assert_eq!(
            wrap("Section 1: Rebuilding community policing", 20),
            vec!["Section 1:", "Rebuilding community", "policing"]
        );
        assert_eq!(
            wrap("Incomprehensibilities", 5),
            vec!["Incomprehensibilities"]
        );
        assert!(wrap("", 10).is_empty());
    }
}
