//! `report.html` (SPEC §9, issue 18): one self-contained page per plan folder, in the
//! plan's language, with every catchment and applicant, a re-plan's section, and no
//! household id or location.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{first_column, plan_quietly, siting};

const SAMPLE: &str = "data/qazvin_households.csv";
const APPLICANTS: &str = "data/qazvin_applicants.csv";

/// Plans the sample with its applicants on a fixed date; the page written.
fn plan(out: &Path, extra: &[&str]) -> String {
    let args = [&["--applicants", APPLICANTS, "--date", "2026-12-02"], extra].concat();
    plan_quietly(SAMPLE, out, &args);
    std::fs::read_to_string(out.join("report.html")).expect("report.html is written")
}

fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(name);
    (dir, out)
}

/// The page names no network address: no external script, style, image or font, and
/// every `http` in it is the SVG namespace.
fn assert_self_contained(html: &str) {
    for needle in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
        "<link",
        "src=\"//",
    ] {
        assert!(!html.contains(needle), "the page loads `{needle}…`");
    }
    let addresses: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(addresses.is_empty(), "network addresses: {addresses:?}");
    assert!(html.contains("@font-face") && html.contains("data:font/woff2;base64,"));
    assert!(html.contains("Leaflet 1.9.4"), "Leaflet is embedded");
}

/// Every word-like token of `text` (letters, digits, `-`, `_`).
fn tokens(text: &str) -> HashSet<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn assert_no_household_ids(html: &str) {
    let ids = first_column(SAMPLE);
    assert!(ids.len() > 1000);
    let leaked: Vec<&str> = tokens(html)
        .into_iter()
        .filter(|t| ids.contains(*t))
        .collect();
    assert!(leaked.is_empty(), "household ids in the report: {leaked:?}");
}

fn catchment_ids(out: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(out.join("catchments.geojson")).expect("layer");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            f["properties"]["catchment_id"]
                .as_str()
                .expect("id")
                .to_string()
        })
        .collect()
}

#[test]
fn english_report_is_self_contained_and_complete() {
    let (_dir, out) = scratch("plan");
    let html = plan(&out, &[]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"));
    assert_self_contained(&html);
    assert_no_household_ids(&html);
    let ids = catchment_ids(&out);
    assert_eq!(ids.len(), 53);
    for id in &ids {
        assert!(
            html.contains(&format!("<tr id=\"catchment-{id}\">")),
            "{id} has no row"
        );
        assert!(
            html.contains(&format!("\"id\":\"{id}\"")),
            "{id} is not on the map"
        );
    }
    for a in first_column(APPLICANTS) {
        assert!(
            html.contains(&format!("<tr id=\"applicant-{a}\">")),
            "{a} missing"
        );
    }
    for section in [
        "summary",
        "map-section",
        "catchments",
        "gaps",
        "applicants",
        "regions",
        "warnings",
        "audit",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "{section}"
        );
    }
    assert!(!html.contains("<section id=\"replan\">"));
    assert!(html.contains("Welfare service centers plan") && html.contains("24,000"));
    assert!(html.contains("id=\"applicant-search\""));
    // The audit: the inputs' hashes as summary.json has them.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for input in summary["inputs"].as_array().unwrap() {
        assert!(html.contains(input["sha256"].as_str().unwrap()));
    }
    assert!(html.contains("@media print"));
    // Same plan, same bytes.
    let (_again_dir, again) = scratch("again");
    assert_eq!(plan(&again, &[]), html, "report.html differs between runs");
}

#[test]
fn persian_report_is_right_to_left_with_persian_digits_and_dates() {
    let (_dir, out) = scratch("plan-fa");
    let html = plan(&out, &["--lang", "fa"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fa\" dir=\"rtl\">"));
    assert_self_contained(&html);
    assert_no_household_ids(&html);
    assert!(html.contains("طرح مراکز خدمات بهزیستی"), "Persian title");
    assert!(html.contains("۲۴٬۰۰۰"), "Persian digits with ٬");
    assert!(html.contains("۱۱ آذر ۱۴۰۵"), "Solar Hijri date");
    assert!(html.contains("font-family:Vazirmatn"));
    for id in catchment_ids(&out) {
        assert!(
            html.contains(&format!("<tr id=\"catchment-{id}\">")),
            "{id}"
        );
    }
    // No English headings left.
    for english in ["Summary</h2>", "Applicants</h2>", "Audit</h2>"] {
        assert!(!html.contains(english), "{english}");
    }
}

#[test]
fn replan_report_counts_moves_and_marks_changes_without_households() {
    let (dir, out) = scratch("plan");
    plan(&out, &[]);
    let replan = dir.path().join("replan");
    let html = plan(&replan, &["--previous", out.to_str().unwrap()]);
    assert!(html.contains("<section id=\"replan\">"), "re-plan section");
    assert!(html.contains("id=\"churn-table\"") && html.contains("id=\"moves-table\""));
    assert!(html.contains("<tr id=\"moves-rebalanced\">"));
    assert!(
        html.contains("\"status\":\"existing\""),
        "existing centers on the map"
    );
    assert_self_contained(&html);
    assert_no_household_ids(&html);
    // The households of moves.csv are not in the page.
    let moves = std::fs::read_to_string(replan.join("moves.csv")).expect("moves.csv");
    let moved: HashSet<&str> = moves
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let page = tokens(&html);
    assert!(moved.iter().all(|h| !page.contains(h)));
}

#[test]
fn basemap_adds_a_tile_layer_and_the_folder_still_verifies() {
    let (_dir, out) = scratch("plan");
    let url = "https://tiles.example.org/{z}/{x}/{y}.png";
    let html = plan(&out, &["--basemap", url]);
    assert!(html.contains("\"basemap\":\"https://tiles.example.org/{z}/{x}/{y}.png\""));
    let verify = siting().arg("verify").arg(&out).output().expect("runs");
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    plan_quietly(SAMPLE, &out.parent().unwrap().join("plain"), &[]);
    let html = std::fs::read_to_string(out.parent().unwrap().join("plain/report.html")).unwrap();
    assert!(html.contains("\"basemap\":null"));
    assert!(
        !html.contains("id=\"applicants\""),
        "no applicants section without applicants"
    );
}

/// The sample's counties renamed in Persian: one with a zero-width non-joiner, one with
/// characters that HTML must escape.
const PERSIAN_COUNTIES: [(&str, &str); 6] = [
    ("Qazvin", "قزوین"),
    ("Tākestān", "تاکستان"),
    ("Ābyek", "آبیک & <الوند>"),
    ("Shāl", "البرز"),
    ("Ẕīā’ābād", "بوئین\u{200c}زهرا"),
    ("Saggez Ābād", "سگزآباد"),
];

/// The sample with Persian column names `استان,شهرستان` and Persian county names, and one
/// household far away in بوئین‌زهرا, so that a warning names its region.
fn persian_regions_sample(dir: &Path) -> PathBuf {
    let sample = std::fs::read_to_string(SAMPLE).expect("sample");
    let mut lines = sample.lines();
    let header = lines.next().expect("header");
    assert_eq!(header, "household_id,lon,lat,province,county");
    let mut text = String::from("household_id,lon,lat,استان,شهرستان\n");
    for line in lines {
        let (rest, county) = line.rsplit_once(',').expect("a county");
        let (rest, _) = rest.rsplit_once(',').expect("a province");
        let (_, persian) = PERSIAN_COUNTIES
            .iter()
            .find(|(latin, _)| *latin == county)
            .unwrap_or_else(|| panic!("unknown county {county}"));
        text.push_str(&format!("{rest},قزوین,{persian}\n"));
    }
    text.push_str("far-away,53.5,34.2,قزوین,بوئین\u{200c}زهرا\n");
    let path = dir.join("households-fa.csv");
    std::fs::write(&path, text).expect("write");
    path
}

/// Every text between tags closes the isolates it opens (U+2066…U+2068 … U+2069).
fn assert_isolates_balanced(html: &str) {
    for (i, text) in html.split(['<', '>']).enumerate() {
        let mut depth = 0i32;
        for c in text.chars() {
            match c {
                '\u{2066}' | '\u{2067}' | '\u{2068}' => depth += 1,
                '\u{2069}' => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "an isolate closed before it opened in {text:?}");
        }
        assert_eq!(depth, 0, "unclosed isolate in text {i}: {text:?}");
    }
}

/// Where `name` stands in the page (outside the map's data): the whole text of a table
/// cell of its own direction, or isolated inside running text.
fn assert_name_set_apart(html: &str, name: &str) {
    let page = &html[..html.find("<script").unwrap_or(html.len())];
    let mut found = 0;
    for (at, _) in page.match_indices(name) {
        found += 1;
        let (before, after) = (&page[..at], &page[at + name.len()..]);
        let cell = before.ends_with("<td dir=\"auto\">") && after.starts_with("</td>");
        let isolated = before.ends_with('\u{2068}') && after.starts_with('\u{2069}');
        assert!(
            cell || isolated,
            "{name:?} runs into its text: …{}…",
            &page[at.saturating_sub(60)..(at + name.len() + 60).min(page.len())]
        );
    }
    assert!(found > 0, "{name:?} is not in the page");
}

#[test]
fn persian_region_names_stay_intact_and_set_apart_in_both_languages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let households = persian_regions_sample(dir.path());
    for lang in ["fa", "en"] {
        let out = dir.path().join(format!("plan-{lang}"));
        let args = ["--by", "شهرستان", "--lang", lang, "--date", "2026-12-02"];
        plan_quietly(&households, &out, &args);
        let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
        assert_isolates_balanced(&html);
        assert!(
            !html.contains("<الوند>"),
            "{lang}: a region name is not escaped"
        );
        let regions = &html[html.find("<section id=\"regions\">").expect("regions")..];
        let regions = &regions[..regions.find("</section>").expect("end")];
        for (_, name) in PERSIAN_COUNTIES {
            let escaped = name
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                regions.contains(&format!("<tr><td dir=\"auto\">{escaped}</td>")),
                "{lang}: the regions table has no row for {name}"
            );
            assert_name_set_apart(&html, &escaped);
        }
        // The name with a zero-width non-joiner is kept as written, also in the warning.
        let warnings = &html[html.find("<section id=\"warnings\">").expect("warnings")..];
        assert!(
            warnings.contains("<td dir=\"auto\">بوئین\u{200c}زهرا</td>"),
            "{lang}: the warning's region"
        );
        assert!(!html.contains("بوئینزهرا") && !html.contains("بوئین زهرا"));
        let date = if lang == "fa" {
            "۱۱ آذر ۱۴۰۵"
        } else {
            "2026-12-02"
        };
        assert!(html.contains(date), "{lang}: the date");
    }
}
