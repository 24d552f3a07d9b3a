//! The organisation's brand in `site.yaml`, and the contrast guard: every
//! text/background and focus/background pair the theme derives from the
//! brand colours is checked against WCAG 2.2 AA at build time, so a colour
//! choice cannot break accessibility.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawBranding {
    pub logo: Option<RawLogo>,
    #[serde(default)]
    pub colours: RawColours,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogo {
    /// A path under `content/` (e.g. `logo.svg`), copied to the output.
    pub src: String,
    /// The text alternative: usually the organisation's name.
    pub alt: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawColours {
    pub primary: Option<Spanned<String>>,
    pub link: Option<Spanned<String>>,
    pub header_background: Option<Spanned<String>>,
    pub header_text: Option<Spanned<String>>,
}

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    pub fn parse(text: &str) -> Option<Colour> {
        let hex = text.trim().strip_prefix('#')?;
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        match digits.as_slice() {
            [r, g, b] => Some(Colour(r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => Some(Colour(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    fn mix(self, other: Colour, t: f64) -> Colour {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Colour(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// WCAG contrast ratio, 1 to 21.
pub fn contrast(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The nearest shade of `colour` (towards black or white, whichever gets
/// there sooner) that reaches `ratio` against `against`.
pub fn nearest_passing(colour: Colour, against: Colour, ratio: f64) -> Colour {
    let black = Colour(0, 0, 0);
    let white = Colour(255, 255, 255);
    let search = |towards: Colour| {
        (1..=100)
            .map(|i| colour.mix(towards, f64::from(i) / 100.0))
            .find(|c| contrast(*c, against) >= ratio)
            .map(|c| (c, colour.mix(towards, 0.0)))
    };
    let darker = search(black);
    let lighter = search(white);
    match (darker, lighter) {
        (Some((d, _)), Some((l, _))) => {
            if distance(d, colour) <= distance(l, colour) {
                d
            } else {
                l
            }
        }
        (Some((d, _)), None) => d,
        (None, Some((l, _))) => l,
        (None, None) => {
            if against.luminance() > 0.5 {
                black
            } else {
                white
            }
        }
    }
}

fn distance(a: Colour, b: Colour) -> i32 {
    (i32::from(a.0) - i32::from(b.0)).abs()
        + (i32::from(a.1) - i32::from(b.1)).abs()
        + (i32::from(a.2) - i32::from(b.2)).abs()
}

/// The theme's fixed colours the brand colours are paired with in the light
/// scheme.
const PAGE_BACKGROUND: Colour = Colour(0xff, 0xff, 0xff);
/// The dark scheme's backgrounds (page, grey panel, notice banner): a brand
/// link or accent colour is lightened until it passes against all of them.
const DARK_BACKGROUNDS: [Colour; 3] = [
    Colour(0x12, 0x12, 0x12),
    Colour(0x1f, 0x1f, 0x1f),
    Colour(0x3a, 0x32, 0x00),
];

/// The nearest shade of `colour` that reaches `ratio` against every dark
/// background, so the brand keeps its hue in dark mode without failing.
pub fn dark_variant(colour: Colour, ratio: f64) -> Colour {
    let mut c = colour;
    for _ in 0..DARK_BACKGROUNDS.len() {
        match DARK_BACKGROUNDS.iter().find(|bg| contrast(c, **bg) < ratio) {
            Some(bg) => c = nearest_passing(c, *bg, ratio),
            None => return c,
        }
    }
    if DARK_BACKGROUNDS.iter().all(|bg| contrast(c, *bg) >= ratio) {
        c
    } else {
        Colour(255, 255, 255)
    }
}
const SURFACE: Colour = Colour(0xf3, 0xf2, 0xf1);
const FOCUS: Colour = Colour(0xff, 0xdd, 0x00);

#[derive(Debug, Clone, Serialize, Default)]
pub struct Branding {
    pub logo: Option<Logo>,
    /// CSS custom properties to set, e.g. `("--link", "#1d4f91")`.
    pub css_properties: Vec<(String, String)>,
    /// The same for `prefers-color-scheme: dark`: the brand's link and
    /// accent colours lightened to pass against the dark backgrounds.
    pub dark_css_properties: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Logo {
    pub src: String,
    pub alt: String,
}

impl Branding {
    /// The brand colours as a stylesheet of their own, `brand.<hash>.css`,
    /// and its text; `None` when the site sets no colours. A file rather
    /// than a `<style>` element, so the Content-Security-Policy needs no
    /// exception for inline styles.
    pub fn stylesheet(&self) -> Option<(String, String)> {
        if self.css_properties.is_empty() {
            return None;
        }
        let block = |props: &[(String, String)]| {
            props
                .iter()
                .map(|(k, v)| format!("{k}: {v};"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut css = format!(":root {{ {} }}\n", block(&self.css_properties));
        if !self.dark_css_properties.is_empty() {
            css.push_str(&format!(
                "@media (prefers-color-scheme: dark) {{ :root {{ {} }} }}\n",
                block(&self.dark_css_properties)
            ));
        }
        let name = crate::hash::fingerprinted("brand.css", css.as_bytes());
        Some((name, css))
    }
}

/// Checks the brand colours and returns the CSS they produce. Every failing
/// pair is an error at its `site.yaml` line with the ratio and a passing
/// suggestion.
pub fn check(raw: RawBranding, file: &std::path::Path) -> (Branding, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut css = Vec::new();
    let mut dark = Vec::new();
    let span = |v: &Spanned<String>| crate::load::span_of(file, 1, &v.referenced);
    let mut colour = |field: &Option<Spanned<String>>, name: &str| -> Option<(Colour, Span)> {
        let v = field.as_ref()?;
        match Colour::parse(&v.value) {
            Some(c) => Some((c, span(v))),
            None => {
                diagnostics.push(
                    Diagnostic::error(Some(span(v)), format!("`{}` is not a colour", v.value))
                        .with_help(format!(
                            "write brand colours as hex, e.g. `{name}: \"#1d4f91\"`"
                        )),
                );
                None
            }
        }
    };
    let primary = colour(&raw.colours.primary, "primary");
    let link = colour(&raw.colours.link, "link");
    let header_bg = colour(&raw.colours.header_background, "header_background");
    let header_text = colour(&raw.colours.header_text, "header_text");

    let mut require = |what: &str,
                       field: &str,
                       (c, at): (Colour, Span),
                       against: Colour,
                       against_name: &str,
                       ratio: f64| {
        let r = contrast(c, against);
        if r + 1e-9 < ratio {
            let fix = nearest_passing(c, against, ratio);
            diagnostics.push(
                Diagnostic::error(
                    Some(at),
                    format!(
                        "brand colour `{field}` {} on {against_name} {} has a contrast ratio of {r:.2}:1; {what} needs at least {ratio}:1 (WCAG 2.2 AA)",
                        c.hex(),
                        against.hex()
                    ),
                )
                .with_help(format!(
                    "the nearest shade that passes is {} ({:.2}:1); use `{field}: \"{}\"`",
                    fix.hex(),
                    contrast(fix, against),
                    fix.hex()
                )),
            );
        }
    };
    if let Some(l) = link.clone() {
        require(
            "link text",
            "link",
            l.clone(),
            PAGE_BACKGROUND,
            "the page background",
            4.5,
        );
        require(
            "link text",
            "link",
            l.clone(),
            SURFACE,
            "the grey panel background",
            4.5,
        );
        css.push(("--link".to_string(), l.0.hex()));
        dark.push(("--link".to_string(), dark_variant(l.0, 4.5).hex()));
    }
    if let Some(p) = primary.clone() {
        // The primary colour draws the header's bottom border and card
        // edges: a user-interface boundary, 3:1.
        require(
            "a boundary or focus indicator",
            "primary",
            p.clone(),
            PAGE_BACKGROUND,
            "the page background",
            3.0,
        );
        css.push(("--accent".to_string(), p.0.hex()));
        dark.push(("--accent".to_string(), dark_variant(p.0, 3.0).hex()));
    }
    if let Some(bg) = header_bg.clone() {
        let text = header_text
            .clone()
            .map(|t| t.0)
            .unwrap_or(Colour(255, 255, 255));
        match header_text.clone() {
            Some(t) => require(
                "header text",
                "header_text",
                t,
                bg.0,
                "the header background",
                4.5,
            ),
            None => require(
                "white header text",
                "header_background",
                (bg.0, bg.1.clone()),
                text,
                "white header text",
                4.5,
            ),
        }
        // Focus in the header is the yellow highlight: it must stand out
        // from the header background.
        require(
            "the focus highlight",
            "header_background",
            bg.clone(),
            FOCUS,
            "the focus colour",
            3.0,
        );
        css.push(("--header-bg".to_string(), bg.0.hex()));
        css.push(("--header-text".to_string(), text.hex()));
    } else if let Some(t) = header_text {
        require(
            "header text",
            "header_text",
            t.clone(),
            Colour(0x0b, 0x0c, 0x0c),
            "the header background",
            4.5,
        );
        css.push(("--header-text".to_string(), t.0.hex()));
    }
    let logo = raw.logo.map(|l| Logo {
        src: l.src,
        alt: l.alt,
    });
    (
        Branding {
            logo,
            css_properties: css,
            dark_css_properties: dark,
        },
        diagnostics,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        let black = Colour::parse("#000").unwrap();
        let white = Colour::parse("#ffffff").unwrap();
        assert!((contrast(black, white) - 21.0).abs() < 0.01);
        // GOV.UK link blue on white is 7.0:1 or so; #777 on white fails 4.5.
        assert!(contrast(Colour::parse("#1d70b8").unwrap(), white) > 4.5);
        assert!(contrast(Colour::parse("#777777").unwrap(), white) < 4.5);
    }

    #[test]
    fn the_suggestion_passes_and_stays_close() {
        let white = Colour(255, 255, 255);
        let pale = Colour::parse("#5b9bd5").unwrap();
        let fix = nearest_passing(pale, white, 4.5);
        assert!(contrast(fix, white) >= 4.5);
        assert!(distance(fix, pale) < 200, "{}", fix.hex());
    }

    #[test]
    fn a_dark_variant_passes_on_every_dark_background_and_keeps_the_hue() {
        let brand = Colour::parse("#6d2077").unwrap();
        let dark = dark_variant(brand, 4.5);
        for bg in DARK_BACKGROUNDS {
            assert!(contrast(dark, bg) >= 4.5, "{} on {}", dark.hex(), bg.hex());
        }
        assert_ne!(
            dark,
            Colour(255, 255, 255),
            "lightened, not replaced by white"
        );
        assert!(
            dark.0 > dark.1 && dark.2 > dark.1,
            "still a purple: {}",
            dark.hex()
        );
        // A colour that already passes is kept.
        let light = Colour::parse("#8ab4f8").unwrap();
        assert_eq!(dark_variant(light, 4.5), light);
    }

    #[test]
    fn colours_parse_in_short_and_long_form() {
        assert_eq!(Colour::parse("#fff"), Some(Colour(255, 255, 255)));
        assert_eq!(Colour::parse("#1D4F91").unwrap().hex(), "#1d4f91");
        assert_eq!(Colour::parse("blue"), None);
    }
}
