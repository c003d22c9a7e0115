//! Tests of the map's language (issue 18): a Persian map reads right to left in Persian
//! words, digits and dates, and mixed-direction lines isolate names and dates in either
//! language.

use super::tests::{awarded_plan_in, by_id, render_string, texts};
use super::{MapOptions, write_map_svg};
use crate::lang::{FSI, Lang, PDI, has_rtl};
use crate::plan::Plan;
use crate::{Households, PlanConfig, Planner};

fn options() -> MapOptions {
    MapOptions {
        date: "2026-12-02".into(),
        ..Default::default()
    }
}

/// The text of the element with `data-role` `role`.
fn role<'a>(doc: &'a roxmltree::Document, role: &str) -> &'a str {
    doc.descendants()
        .find(|n| n.attribute("data-role") == Some(role))
        .and_then(|n| n.text())
        .unwrap_or_else(|| panic!("no {role}"))
}

/// True when every FSI in `text` is closed by a PDI after it, and no PDI closes nothing.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            FSI => depth += 1,
            PDI => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// A plan of `n` synthetic households in `lang` split into `names.len()` regions (by
/// longitude) named `names`, by the column `county`.
fn regions_plan(lang: Lang, names: &[&str]) -> Plan {
    let mut hh: Households = crate::synth::households(6_000, 2);
    let mut lons: Vec<f64> = hh.items.iter().map(|h| h.position.lon).collect();
    lons.sort_by(f64::total_cmp);
    let k = names.len();
    let cuts: Vec<f64> = (1..k).map(|i| lons[i * lons.len() / k]).collect();
    for h in &mut hh.items {
        h.region = cuts.iter().filter(|&&c| h.position.lon >= c).count() as u32;
    }
    hh.regions = names.iter().map(|n| n.to_string()).collect();
    hh.region_columns = vec!["county".into()];
    let config = PlanConfig::default().lang(lang).target_size(300);
    Planner::new(config).unwrap().plan(&hh).unwrap()
}

const PERSIAN_COUNTIES: [&str; 6] = ["قزوین", "زنجان", "تهران", "آبیک", "تاکستان", "شال"];

#[test]
fn a_persian_map_reads_right_to_left_in_persian() {
    let (plan, sites) = awarded_plan_in(8_000, Lang::Fa);
    let svg = render_string(&plan, Some(&sites), &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("direction"), Some("rtl"));
    assert_eq!(root.attribute("font-family"), Some(Lang::Fa.fonts()));

    let all = texts(&doc);
    assert!(all.contains(&"طرح مراکز خدمات بهزیستی"), "{all:?}");
    let legend = by_id(&doc, "legend").unwrap();
    let legend_texts: Vec<&str> = legend.descendants().filter_map(|n| n.text()).collect();
    assert!(legend_texts.contains(&"راهنما"), "{legend_texts:?}");
    assert!(legend_texts.contains(&"مرکز آرمانی (کمترین رفت‌وآمد)"));
    assert!(legend_texts.iter().any(|t| t.ends_with("کیلومتر")));
    assert!(legend_texts.contains(&"ش"), "north arrow in Persian");

    let counts = role(&doc, "counts");
    let n = Lang::Fa.count(plan.catchments.len() as u64);
    assert!(counts.contains(&format!("{FSI}{n}{PDI} حوزه")), "{counts}");
    assert!(!counts.chars().any(|c| c.is_ascii_digit()), "{counts}");
    assert!(role(&doc, "subtitle").contains("۱۱ آذر ۱۴۰۵"));
    assert!(svg.contains("siting"), "the footnote names the program");

    // No English word a person reads is left, and no isolate is left open.
    for text in &all {
        assert!(balanced(text), "{text:?}");
        let is_id = text.starts_with("C-") || *text == "WGS 84";
        assert!(
            is_id || has_rtl(text) || !text.chars().any(|c| c.is_ascii_alphabetic()),
            "{text:?}"
        );
    }
    for title in doc.descendants().filter(|n| n.has_tag_name("title")) {
        let tip = title.text().unwrap_or("");
        assert!(balanced(tip) && has_rtl(tip), "{tip:?}");
    }
}

#[test]
fn right_to_left_text_starts_at_the_right() {
    let (plan, sites) = awarded_plan_in(8_000, Lang::Fa);
    let svg = render_string(&plan, Some(&sites), &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let width: f64 = doc
        .root_element()
        .attribute("width")
        .unwrap()
        .parse()
        .unwrap();
    let title = by_id(&doc, "title-block").unwrap();
    for t in title.children().filter(|n| n.has_tag_name("text")) {
        let x: f64 = t.attribute("x").unwrap().parse().unwrap();
        assert!(x > width * 0.9, "title block text at {x} of {width}");
    }
}

#[test]
fn english_lines_with_persian_names_keep_the_date_in_an_isolate() {
    let plan = regions_plan(Lang::En, &PERSIAN_COUNTIES);
    let svg = render_string(&plan, None, &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(doc.root_element().attribute("direction"), None);
    let subtitle = role(&doc, "subtitle");
    assert!(subtitle.starts_with("6 regions by county: "), "{subtitle}");
    assert!(
        subtitle.ends_with(&format!(" · {FSI}2026-12-02{PDI}")),
        "{subtitle}"
    );
    assert!(subtitle.contains(&format!("{FSI}قزوین{PDI}")), "{subtitle}");
    assert!(balanced(subtitle), "{subtitle}");
}

#[test]
fn a_cut_subtitle_closes_its_isolates() {
    let long: Vec<String> = PERSIAN_COUNTIES
        .iter()
        .map(|n| format!("شهرستان {n} و روستاهای پیرامون"))
        .collect();
    let names: Vec<&str> = long.iter().map(String::as_str).collect();
    let plan = regions_plan(Lang::Fa, &names);
    let options = MapOptions {
        width_px: 600,
        ..options()
    };
    let mut out = Vec::new();
    write_map_svg(&plan, None, &options, &mut out).unwrap();
    let svg = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(role(&doc, "subtitle").ends_with('…'));
    for text in texts(&doc) {
        assert!(balanced(text), "{text:?}");
    }
}

#[test]
fn english_with_latin_names_has_no_isolates() {
    let plan = regions_plan(Lang::En, &["Qazvin", "Zanjan"]);
    let svg = render_string(&plan, None, &options());
    assert!(!svg.contains(FSI) && !svg.contains(PDI));
    assert!(svg.contains("font-family=\"sans-serif\""));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(role(&doc, "subtitle"), "Qazvin, Zanjan · 2026-12-02");
}
