//! Metric charts as inline SVG: a line of the published values, the target
//! as a dashed line, with a title and a description stating the latest
//! value against the target. The same figures are always in a table too.

use std::fmt::Write as _;

use crate::markdown::escape_html;
use crate::records::Metric;
use crate::records::metric::Direction;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// `None` when the metric has no figures yet.
pub fn svg(metric: &Metric) -> Option<String> {
    let points = &metric.series;
    if points.is_empty() {
        return None;
    }
    let values: Vec<f64> = points.iter().map(|p| p.value.to_f64()).collect();
    let target = metric.target_value.map(|t| t.to_f64());
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
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    // Each point sits in the middle of its own slot, so the first and last
    // period labels are centred under their points and never collide.
    let slot = plot_w / points.len() as f64;
    let x = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
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

    let latest = points.last().expect("not empty");
    let mut desc = format!(
        "{} values from {} to {}. Latest: {} in {}.",
        points.len(),
        points[0].period_label,
        latest.period_label,
        fmt(&latest.value_text),
        latest.period_label
    );
    if let (Some(t), Some(tv)) = (&metric.target, metric.target_value) {
        let met = match metric.direction {
            Direction::Higher => Some(latest.value > tv),
            Direction::Lower => Some(latest.value < tv),
            Direction::None => None,
        };
        let verdict = match met {
            Some(true) => "which meets the target",
            Some(false) => "which does not meet the target",
            None => "against the target",
        };
        let _ = write!(desc, " The target is {t}, {verdict}.");
    }
    let id = escape_html(&metric.meta.key);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"chart-title-{id} chart-desc-{id}\" focusable=\"false\">\
<title id=\"chart-title-{id}\">{}</title><desc id=\"chart-desc-{id}\">{}</desc>",
        escape_html(&format!("Chart of {}", metric.name)),
        escape_html(&desc)
    );
    // Gridlines and axis labels.
    let mut v = lo;
    while v <= hi + step / 2.0 {
        let yy = y(v);
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            escape_html(&axis_label(&trim_number(v), unit))
        );
        v += step;
    }
    // Label every n-th period so that labels (about 7 units a character at
    // the axis font size, plus a gap) fit in the slots they span.
    let longest = points
        .iter()
        .map(|p| p.period_label.chars().count())
        .max()
        .unwrap_or(1);
    let label_every = ((longest as f64 * 7.0 + 8.0) / slot).ceil().max(1.0) as usize;
    for (i, p) in points.iter().enumerate() {
        if i % label_every == 0 {
            let _ = write!(
                s,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                HEIGHT - BOTTOM + 18.0,
                escape_html(&p.period_label)
            );
        }
    }
    if let Some(t) = target {
        let yy = y(t);
        let _ = write!(
            s,
            "<line class=\"target\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"target-label\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">Target {}</text>",
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            yy - 6.0,
            escape_html(metric.target.as_deref().unwrap_or(""))
        );
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
}
