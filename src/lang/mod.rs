//! The language of everything a person reads in a plan (`--lang en|fa`): terminal lines,
//! warnings and errors, the reasons in `applicants.csv`, `map.svg`, `report.html` and the
//! legends of the QGIS styles. Machine fields (column names, ids, JSON keys, enum values)
//! never change.
//!
//! Texts live in [Project Fluent](https://projectfluent.org) catalogues, `locales/en/*.ftl`
//! and `locales/fa/*.ftl`, embedded in the binary; both languages have the same message ids
//! (a test checks it). Persian text isolates every value it interpolates (U+2068 … U+2069), so
//! a Latin id or a date inside a right-to-left sentence keeps its own order; figures in
//! Persian use Persian digits with `٬` and `٫`, dates the Solar Hijri calendar.
//!
//! ```
//! use siting::lang::{Args, Lang};
//! let en = Lang::En.format("regions-planned", &Args::new().count("regions", 6));
//! assert_eq!(en, "6 regions");
//! assert_eq!(Lang::Fa.count(24_000), "۲۴٬۰۰۰");
//! assert_eq!(Lang::Fa.date("2026-12-02"), "۱۱ آذر ۱۴۰۵");
//! ```

mod calendar;
mod numbers;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use calendar::SolarHijri;

/// First strong isolate: starts a span whose direction comes from its own first letter.
pub const FSI: char = '\u{2068}';
/// Pop directional isolate: ends an isolated span.
pub const PDI: char = '\u{2069}';

const EMPTY_ISOLATE: &str = "\u{2068}\u{2069}";

/// A language of the plan's human-readable text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Persian (Farsi): right to left, Persian digits, Solar Hijri dates.
    Fa,
}

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fa];

    /// The language's code, as `--lang` and HTML's `lang` attribute write it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    /// True for a right-to-left language.
    pub fn is_rtl(self) -> bool {
        self == Lang::Fa
    }

    /// The writing direction, as HTML's and SVG's `dir`/`direction` write it.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// Font families for this language's text, best first, as a CSS `font-family` list.
    pub fn fonts(self) -> &'static str {
        match self {
            Lang::En => "'DejaVu Sans', 'Noto Sans', Arial, Helvetica, sans-serif",
            Lang::Fa => {
                "Vazirmatn, 'Noto Sans Arabic', 'Noto Naskh Arabic', Tahoma, 'DejaVu Sans', \
                 'Segoe UI', Arial, sans-serif"
            }
        }
    }

    /// The message `id` with no arguments. An unknown id comes back as itself, so a
    /// missing translation shows rather than vanishes (the catalogue tests find them).
    pub fn tr(self, id: &str) -> String {
        self.format(id, &Args::new())
    }

    /// The message `id` with `args`.
    pub fn format(self, id: &str, args: &Args) -> String {
        let bundle = bundle(self);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        let text = if self.is_rtl() {
            // Persian messages isolate every value themselves (Fluent's isolating).
            bundle.format_pattern(pattern, Some(&args.0), &mut errors)
        } else {
            // English ones isolate only a value written right to left (a Persian county
            // name), so it keeps its order and the sentence keeps its own around it;
            // a value that already isolates its names (a list of them) is left as it is.
            let args: FluentArgs = args
                .0
                .iter()
                .map(|(name, value)| match value {
                    FluentValue::String(s) if has_rtl(s) && !s.contains(FSI) => {
                        (name, FluentValue::from(isolate(s)))
                    }
                    other => (name, other.clone()),
                })
                .collect();
            bundle.format_pattern(pattern, Some(&args), &mut errors)
        };
        // An optional part left empty leaves an empty isolate behind: drop it.
        text.replace(EMPTY_ISOLATE, "")
    }

    /// A count with thousands separators in this language's digits: `24,000` / `۲۴٬۰۰۰`.
    pub fn count(self, n: u64) -> String {
        numbers::localize(self, &numbers::grouped(n))
    }

    /// `x` with `decimals` places: `1,234.5` / `۱٬۲۳۴٫۵`.
    pub fn decimal(self, x: f64, decimals: usize) -> String {
        numbers::localize(self, &numbers::decimal(x, decimals))
    }

    /// A share (0.123) as a percentage with `decimals` places: `12.3%` / `۱۲٫۳٪`.
    pub fn percent(self, share: f64, decimals: usize) -> String {
        numbers::localize(
            self,
            &format!("{}%", numbers::decimal(share * 100.0, decimals)),
        )
    }

    /// A figure already written with ASCII digits (`"1.5 km"`'s `1.5`), in this language's
    /// digits. Only for figures: ids keep their characters.
    pub fn digits(self, figure: &str) -> String {
        numbers::localize(self, figure)
    }

    /// An ISO date (`2026-12-02`) as this language writes it: unchanged in English, Solar
    /// Hijri with Persian digits in Persian (`۱۱ آذر ۱۴۰۵`). A string that is not a date
    /// comes back unchanged.
    pub fn date(self, iso: &str) -> String {
        match self {
            Lang::En => iso.to_string(),
            Lang::Fa => match SolarHijri::from_iso(iso) {
                Some(d) => format!(
                    "{} {} {}",
                    numbers::localize(self, &d.day.to_string()),
                    d.month_name(),
                    numbers::localize(self, &d.year.to_string())
                ),
                None => iso.to_string(),
            },
        }
    }

    /// A name or an id set into running text: isolated (see [`isolate`]) when this language
    /// is right to left or the text holds right-to-left letters, otherwise as it is.
    pub fn embed(self, text: &str) -> String {
        if self.is_rtl() || has_rtl(text) {
            isolate(text)
        } else {
            text.to_string()
        }
    }

    /// What separates the parts of a line of figures: ` · ` in English, ` – ` in Persian,
    /// where a middle dot reads as the digit zero (۰).
    pub fn separator(self) -> &'static str {
        match self {
            Lang::En => " · ",
            Lang::Fa => " – ",
        }
    }

    /// Items joined as a list: `a, b, c` / `a، b، c`.
    pub fn list<S: AsRef<str>>(self, items: &[S]) -> String {
        let sep = match self {
            Lang::En => ", ",
            Lang::Fa => "، ",
        };
        items
            .iter()
            .map(|s| s.as_ref())
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// `text` isolated from the text around it (U+2068 … U+2069), so that a name or a figure
/// of either direction keeps its own order inside a sentence of the other: a Persian county
/// name before a date, a Latin id in a Persian sentence.
pub fn isolate(text: &str) -> String {
    format!("{FSI}{text}{PDI}")
}

/// True when `text` holds a right-to-left letter (Hebrew, Arabic, Persian, Syriac, Thaana,
/// N'Ko and their presentation forms).
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
            // Arabic-Indic and Persian digits and separators are numbers, not letters.
            && !matches!(c as u32, 0x0660..=0x066C | 0x06F0..=0x06F9)
    })
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    /// `en`, `fa` (also `english`, `persian`, `farsi`, `فارسی`), any case.
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.trim().to_lowercase().as_str() {
            "en" | "english" | "en-us" | "en-gb" => Ok(Lang::En),
            "fa" | "fa-ir" | "persian" | "farsi" | "فارسی" => Ok(Lang::Fa),
            other => Err(format!("unknown language `{other}`: use en or fa")),
        }
    }
}

/// The arguments of a message, built by chaining: `Args::new().count("n", 5).text("name", x)`.
#[derive(Default)]
pub struct Args<'a>(FluentArgs<'a>);

impl<'a> Args<'a> {
    /// No arguments.
    pub fn new() -> Self {
        Args(FluentArgs::new())
    }

    /// A whole number: written with thousands separators in the language's digits, and
    /// choosing the plural form where the message has one.
    pub fn count(mut self, name: &'a str, n: u64) -> Self {
        self.0.set(name, FluentValue::from(n as f64));
        self
    }

    /// Text inserted as it is (a name, an id, or a figure already formatted).
    pub fn text(mut self, name: &'a str, text: impl Into<String>) -> Self {
        self.0.set(name, FluentValue::from(text.into()));
        self
    }
}

impl fmt::Debug for Args<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

type Bundle = FluentBundle<FluentResource>;

/// The catalogue joined by `build.rs` from `locales/<lang>/*.ftl`.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!(concat!(env!("OUT_DIR"), "/en.ftl")),
        Lang::Fa => include_str!(concat!(env!("OUT_DIR"), "/fa.ftl")),
    }
}

/// Numbers as the language writes them: whole numbers grouped by thousands.
fn format_number(lang: Lang, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(n) => {
            let x = n.value;
            Some(if x.fract() == 0.0 && x.abs() < 1e15 {
                let grouped = numbers::grouped(x.abs() as u64);
                let signed = if x < 0.0 {
                    format!("-{grouped}")
                } else {
                    grouped
                };
                numbers::localize(lang, &signed)
            } else {
                numbers::localize(lang, &format!("{x}"))
            })
        }
        _ => None,
    }
}

fn build(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    let resource =
        FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(resource, _)| resource);
    // Duplicate ids are reported by the catalogue tests; the first one wins here.
    let _ = bundle.add_resource(resource);
    bundle.set_use_isolating(lang.is_rtl());
    match lang {
        Lang::En => bundle.set_formatter(Some(|v, _| format_number(Lang::En, v))),
        Lang::Fa => bundle.set_formatter(Some(|v, _| format_number(Lang::Fa, v))),
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static FA: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(Lang::En)),
        Lang::Fa => FA.get_or_init(|| build(Lang::Fa)),
    }
}

/// The message ids of `lang`'s catalogue, with any parse or duplicate-id errors, for the
/// catalogue tests.
#[doc(hidden)]
pub fn catalogue_ids(lang: Lang) -> (Vec<String>, Vec<String>) {
    use fluent_syntax::ast::Entry;
    let mut problems = Vec::new();
    let resource = match FluentResource::try_new(source(lang).to_string()) {
        Ok(r) => r,
        Err((r, errors)) => {
            problems.extend(errors.iter().map(|e| format!("{e:?}")));
            r
        }
    };
    let mut ids = Vec::new();
    for entry in resource.entries() {
        if let Entry::Message(m) = entry {
            ids.push(m.id.name.to_string());
        }
    }
    let mut sorted = ids.clone();
    sorted.sort();
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            problems.push(format!("`{}` is defined twice", w[0]));
        }
    }
    (ids, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_isolates_a_persian_name_once_and_a_latin_one_never() {
        let region =
            |name: &str| Lang::En.format("warning-in-region", &Args::new().text("region", name));
        assert_eq!(region("Qazvin"), "region 'Qazvin'");
        assert_eq!(region("قزوین"), "region '\u{2068}قزوین\u{2069}'");
        assert_eq!(
            region(&Lang::En.embed("قزوین")),
            "region '\u{2068}قزوین\u{2069}'"
        );
        // Persian digits are figures, not right-to-left names.
        assert!(!has_rtl("۱۲۳"));
        let fa = Lang::Fa.format("warning-in-region", &Args::new().text("region", "Qazvin"));
        assert!(fa.contains("\u{2068}Qazvin\u{2069}"), "{fa}");
    }

    #[test]
    fn both_catalogues_have_the_same_messages() {
        let (en, en_problems) = catalogue_ids(Lang::En);
        let (fa, fa_problems) = catalogue_ids(Lang::Fa);
        assert!(en_problems.is_empty(), "en: {en_problems:?}");
        assert!(fa_problems.is_empty(), "fa: {fa_problems:?}");
        let mut en_sorted = en.clone();
        en_sorted.sort();
        let mut fa_sorted = fa.clone();
        fa_sorted.sort();
        let only_en: Vec<_> = en_sorted
            .iter()
            .filter(|i| !fa_sorted.contains(i))
            .collect();
        let only_fa: Vec<_> = fa_sorted
            .iter()
            .filter(|i| !en_sorted.contains(i))
            .collect();
        assert!(only_en.is_empty(), "missing in fa: {only_en:?}");
        assert!(only_fa.is_empty(), "missing in en: {only_fa:?}");
        assert!(!en.is_empty());
    }

    #[test]
    fn every_message_formats_without_errors() {
        for lang in Lang::ALL {
            let (ids, _) = catalogue_ids(lang);
            let bundle = bundle(lang);
            for id in ids {
                let message = bundle.get_message(&id).expect("listed");
                let pattern = message
                    .value()
                    .unwrap_or_else(|| panic!("{id} has no value"));
                let mut errors = Vec::new();
                let _ = bundle.format_pattern(pattern, None, &mut errors);
                // Missing arguments are the only errors expected without arguments.
                for e in &errors {
                    let text = format!("{e:?}");
                    assert!(
                        text.contains("Unknown variable") || text.contains("ResolverError"),
                        "{lang} {id}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn english_reads_plainly_and_persian_isolates_values() {
        let args = || Args::new().count("regions", 6);
        assert_eq!(Lang::En.format("regions-planned", &args()), "6 regions");
        let one = Lang::En.format("regions-planned", &Args::new().count("regions", 1));
        assert_eq!(one, "1 region");
        let fa = Lang::Fa.format("regions-planned", &args());
        assert!(fa.contains("\u{2068}۶\u{2069}"), "{fa}");
        assert_eq!(Lang::En.tr("no-such-message"), "no-such-message");
    }

    #[test]
    fn figures_and_dates() {
        assert_eq!(Lang::En.count(1_100_000), "1,100,000");
        assert_eq!(Lang::Fa.count(1_100_000), "۱٬۱۰۰٬۰۰۰");
        assert_eq!(Lang::Fa.decimal(1.54, 1), "۱٫۵");
        assert_eq!(Lang::Fa.percent(0.123, 1), "۱۲٫۳٪");
        assert_eq!(Lang::En.percent(0.123, 1), "12.3%");
        assert_eq!(Lang::En.date("2026-12-02"), "2026-12-02");
        assert_eq!(Lang::Fa.date("2026-12-02"), "۱۱ آذر ۱۴۰۵");
        assert_eq!(Lang::Fa.date("not a date"), "not a date");
        assert_eq!(Lang::Fa.list(&["قزوین", "تاکستان"]), "قزوین، تاکستان");
    }

    #[test]
    fn parses_language_names() {
        assert_eq!("fa".parse::<Lang>(), Ok(Lang::Fa));
        assert_eq!("Persian".parse::<Lang>(), Ok(Lang::Fa));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }
}
