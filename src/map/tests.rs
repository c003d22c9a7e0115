//! Tests of the whole map through [`write_map_svg`]: well-formed SVG, what each layer
//! holds, the colouring seen from outside, regions, the detail inset, and deterministic
//! bytes.

use super::colour::{NEIGHBOUR_TOLERANCE_PX, neighbours};
use super::layout::layout;
use super::rings::projected_rings;
use super::{MapOptions, write_map_svg};
use crate::error::{ConfigError, Error};
use crate::lang::Lang;
use crate::model::LonLat;
use crate::plan::Plan;
use crate::sites::SitePlan;
use crate::{Applicant, Applicants, Households, PlanConfig, Planner, Proposal};
use geo::Intersects;
use std::path::Path;

fn plan_of(n: usize) -> (Planner, Households, Plan) {
    plan_in(n, Lang::En)
}

/// A plan of `n` synthetic households in `lang`.
fn plan_in(n: usize, lang: Lang) -> (Planner, Households, Plan) {
    let hh = crate::synth::households(n, 1);
    let planner = Planner::new(PlanConfig::default().lang(lang)).unwrap();
    let plan = planner.plan(&hh).unwrap();
    (planner, hh, plan)
}

/// A plan of `n` synthetic households where every third catchment gets no proposal
/// (a gap) and the others get one applicant proposing the ideal center, plus an
/// applicant proposing a site far outside the plan area.
fn awarded_plan(n: usize) -> (Plan, SitePlan) {
    awarded_plan_in(n, Lang::En)
}

/// [`awarded_plan`] in `lang`.
pub(super) fn awarded_plan_in(n: usize, lang: Lang) -> (Plan, SitePlan) {
    let (planner, hh, plan) = plan_in(n, lang);
    let mut items: Vec<Applicant> = plan
        .catchments
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 1)
        .map(|(i, c)| Applicant {
            id: format!("A-{i:03}"),
            score: Some(50.0),
            eligible: true,
            max_centers: 1,
            proposals: vec![Proposal {
                preference: 1,
                position: c.center,
                line: 2,
            }],
            line: 2,
        })
        .collect();
    let c0 = plan.catchments[0].center;
    items.push(Applicant {
        id: "A-far".into(),
        score: None,
        eligible: true,
        max_centers: 1,
        proposals: vec![Proposal {
            preference: 1,
            position: LonLat::new(c0.lon + 3.0, c0.lat),
            line: 3,
        }],
        line: 3,
    });
    let applicants = Applicants {
        items,
        ..Default::default()
    };
    let sites = planner.award_sites(&plan, &hh, &applicants).unwrap();
    (plan, sites)
}

fn options() -> MapOptions {
    MapOptions {
        title: "Synthetic <test> plan & centers".into(),
        date: "2026-11-24".into(),
        ..Default::default()
    }
}

pub(super) fn render_string(plan: &Plan, sites: Option<&SitePlan>, options: &MapOptions) -> String {
    let mut out = Vec::new();
    write_map_svg(plan, sites, options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

pub(super) fn texts<'a>(doc: &'a roxmltree::Document) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect()
}

pub(super) fn by_id<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    id: &str,
) -> Option<roxmltree::Node<'a, 'i>> {
    doc.descendants().find(|n| n.attribute("id") == Some(id))
}

/// Fill of each catchment's path, in plan order.
fn fills(doc: &roxmltree::Document, plan: &Plan) -> Vec<String> {
    let group = by_id(doc, "catchments").expect("catchments group");
    let paths: Vec<_> = group
        .children()
        .filter(|n| n.has_tag_name("path"))
        .collect();
    assert_eq!(paths.len(), plan.catchments.len(), "one path per catchment");
    paths
        .iter()
        .zip(&plan.catchments)
        .map(|(p, c)| {
            assert_eq!(p.attribute("data-catchment"), Some(c.id.as_str()));
            p.attribute("fill").unwrap().to_string()
        })
        .collect()
}

/// Touching catchments, found by brute force on the lon/lat polygons.
fn touching_pairs(plan: &Plan) -> Vec<(usize, usize)> {
    let polys: Vec<geo::MultiPolygon<f64>> =
        plan.catchments.iter().map(|c| c.shape.to_geo()).collect();
    let mut pairs = Vec::new();
    for i in 0..polys.len() {
        for j in i + 1..polys.len() {
            if polys[i].intersects(&polys[j]) {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

#[test]
fn a_plan_without_applicants_is_a_map_of_catchments_and_ideal_centers() {
    let (_, _, plan) = plan_of(2_000);
    let svg = render_string(&plan, None, &options());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("1200"));
    assert_eq!(fills(&doc, &plan).len(), plan.catchments.len());
    assert!(
        by_id(&doc, "gaps").is_none(),
        "no gap styling without applicants"
    );
    assert!(by_id(&doc, "awarded-sites").is_none());
    assert!(
        !svg.contains("gap-hatch)\" stroke"),
        "no hatched legend entry"
    );
    let crosses = by_id(&doc, "ideal-centers").unwrap();
    let d = crosses.children().find(|n| n.has_tag_name("path")).unwrap();
    assert_eq!(
        d.attribute("d").unwrap().matches('h').count(),
        plan.catchments.len(),
        "one cross per ideal center"
    );
    let all = texts(&doc);
    assert!(all.contains(&"Synthetic <test> plan & centers"), "{all:?}");
    assert!(all.iter().any(|t| t.contains("2026-11-24")));
    assert!(
        all.iter()
            .any(|t| t.starts_with("4 catchments · 2,000 households")),
        "{all:?}"
    );
    let scale = by_id(&doc, "legend")
        .unwrap()
        .descendants()
        .find(|n| n.attribute("data-role") == Some("scale"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(scale.ends_with(" km"), "{scale}");
    let km: f64 = scale.trim_end_matches(" km").parse().unwrap();
    let mantissa = km / 10f64.powf(km.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
        "round length: {km}"
    );
}

#[test]
fn gaps_awarded_sites_and_proposals_are_drawn_and_counted() {
    let (plan, sites) = awarded_plan(6_000);
    let sites = &sites;
    assert!(!sites.gaps.is_empty());
    let awarded = sites.award.catchment_site.iter().flatten().count();
    assert!(awarded > 0);
    let svg = render_string(&plan, Some(sites), &options());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    fills(&doc, &plan);
    let gaps: Vec<&str> = by_id(&doc, "gaps")
        .unwrap()
        .children()
        .filter_map(|n| n.attribute("data-gap"))
        .collect();
    let expected: Vec<&str> = sites
        .gaps
        .iter()
        .map(|&g| plan.catchments[g as usize].id.as_str())
        .collect();
    assert_eq!(gaps, expected);
    let circles = by_id(&doc, "awarded-sites")
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("circle"))
        .count();
    assert_eq!(circles, awarded);
    let dots = by_id(&doc, "proposals").unwrap().attribute("d").unwrap();
    assert_eq!(dots.matches('M').count(), sites.proposals.len());
    let all = texts(&doc);
    let counts = format!(
        "{} catchments · 6,000 households · {awarded} awarded · {} gaps",
        plan.catchments.len(),
        sites.gaps.len()
    );
    assert!(all.contains(&counts.as_str()), "{all:?}");
    assert!(all.iter().any(|t| t.starts_with("Gap: no center awarded")));
    assert!(all.iter().any(|t| t.starts_with("Awarded site")));
    assert!(all.iter().any(|t| t.starts_with("Proposed site")));
    assert!(!svg.contains("A-0"), "no applicant ids on the map");
    assert_eq!(
        svg,
        render_string(&plan, Some(sites), &options()),
        "deterministic bytes"
    );
}

#[test]
fn touching_catchments_never_share_a_fill() {
    let (plan, sites) = awarded_plan(12_000);
    let svg = render_string(&plan, Some(&sites), &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let fills = fills(&doc, &plan);
    let pairs = touching_pairs(&plan);
    assert!(pairs.len() >= plan.catchments.len(), "{pairs:?}");
    for (i, j) in pairs {
        assert_ne!(fills[i], fills[j], "catchments {i} and {j} touch");
    }
    // The renderer's own adjacency is symmetric, holds every touching pair, and the
    // fills drawn respect it.
    let view = layout(&plan, 1200).view;
    let adjacent = neighbours(&projected_rings(&plan, &view), NEIGHBOUR_TOLERANCE_PX);
    for (i, j) in touching_pairs(&plan) {
        assert!(adjacent[i].contains(&(j as u32)), "{i} and {j}");
    }
    for (v, list) in adjacent.iter().enumerate() {
        for &w in list {
            assert!(adjacent[w as usize].contains(&(v as u32)));
            assert_ne!(fills[v], fills[w as usize]);
        }
    }
}

#[test]
fn the_same_plan_gives_the_same_bytes_and_a_narrower_map_scales_down() {
    let (_, _, plan) = plan_of(2_000);
    let a = render_string(&plan, None, &options());
    assert_eq!(a, render_string(&plan, None, &options()));
    let narrow = MapOptions {
        width_px: 600,
        ..options()
    };
    let b = render_string(&plan, None, &narrow);
    roxmltree::Document::parse(&b).unwrap();
    assert!(b.contains("width=\"600\""));
    let err = write_map_svg(
        &plan,
        None,
        &MapOptions {
            width_px: 100,
            ..options()
        },
        Vec::new(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidConfig(ConfigError::MapWidth {
                px: 100,
                min_px: 600
            })
        ),
        "{err}"
    );
}

#[test]
fn regions_are_named_in_the_title_and_labelled_on_the_map() {
    let mut hh = crate::synth::households(4_000, 2);
    let mut lons: Vec<f64> = hh.items.iter().map(|h| h.position.lon).collect();
    lons.sort_by(f64::total_cmp);
    let split = lons[lons.len() / 2];
    for h in &mut hh.items {
        h.region = u32::from(h.position.lon >= split);
    }
    hh.regions = vec!["Abyek & Alborz".into(), "Qazvin".into()];
    hh.region_columns = vec!["county".into()];
    let plan = Planner::new(PlanConfig::default())
        .unwrap()
        .plan(&hh)
        .unwrap();
    let svg = render_string(&plan, None, &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    fills(&doc, &plan);
    let subtitle = doc
        .descendants()
        .find(|n| n.attribute("data-role") == Some("subtitle"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(subtitle, "Abyek & Alborz, Qazvin · 2026-11-24");
    let labelled: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-region"))
        .collect();
    assert_eq!(labelled.len(), 2, "{labelled:?}");
}

#[test]
fn a_single_catchment_still_makes_a_map() {
    let (_, _, plan) = plan_of(450);
    assert_eq!(plan.catchments.len(), 1);
    let svg = render_string(&plan, None, &MapOptions::default());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(fills(&doc, &plan).len(), 1);
    assert!(texts(&doc).contains(&"Welfare service centers plan"));
    assert!(
        by_id(&doc, "inset-map").is_none(),
        "nothing crowded, no inset"
    );
}

#[test]
fn a_crowded_city_gets_a_detail_inset_with_its_own_scale() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/qazvin_households.csv");
    let (hh, _) =
        crate::io::read::households::read_households_file(&path, &Default::default()).unwrap();
    let plan = Planner::new(PlanConfig::default())
        .unwrap()
        .plan(&hh)
        .unwrap();
    let svg = render_string(&plan, None, &options());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "ids are unique");
    let shown = by_id(&doc, "inset-catchments")
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("path"))
        .count();
    assert!(shown >= 6 && shown < plan.catchments.len(), "{shown}");
    let number = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    let area = by_id(&doc, "inset-area").unwrap();
    let frame = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("map-clip"))
        .unwrap()
        .first_element_child()
        .unwrap();
    assert!(number(area, "x") >= number(frame, "x") && number(area, "y") >= number(frame, "y"));
    assert!(number(area, "width") < number(frame, "width") / 4.0);
    let scale = by_id(&doc, "inset-scale")
        .unwrap()
        .descendants()
        .find(|n| n.has_tag_name("text"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(scale.ends_with(" km"), "{scale}");
}

#[test]
#[ignore = "writes pictures for a person to look at"]
fn render_samples() {
    use crate::io::read::applicants::read_applicants_file;
    use crate::io::read::csv::ReadOptions;
    use crate::io::read::households::read_households_file;

    let planner = Planner::new(PlanConfig::default()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let read = ReadOptions::default();
    let (hh, _) = read_households_file(&root.join("qazvin_households.csv"), &read).unwrap();
    let plan = planner.plan(&hh).unwrap();
    let (apps, _) = read_applicants_file(&root.join("qazvin_applicants.csv"), &read).unwrap();
    let sites = planner.award_sites(&plan, &hh, &apps).unwrap();
    let mut options = MapOptions {
        title: "Qazvin province: welfare service centers".into(),
        date: "2026-11-24".into(),
        ..Default::default()
    };
    save_sample(&plan, Some(&sites), &options, "map_qazvin.svg");
    options.width_px = 600;
    save_sample(&plan, Some(&sites), &options, "map_qazvin_600.svg");
    options.width_px = 1200;
    save_sample(&plan, None, &options, "map_qazvin_no_sites.svg");

    if let Ok(path) = std::env::var("SITING_MAP_NATIONAL") {
        let read = ReadOptions {
            by: vec!["province".into()],
            ..Default::default()
        };
        let (hh, _) = read_households_file(Path::new(&path), &read).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let sites = std::env::var("SITING_MAP_NATIONAL_APPLICANTS")
            .ok()
            .map(|path| {
                let (apps, _) = read_applicants_file(Path::new(&path), &read).unwrap();
                planner.award_sites(&plan, &hh, &apps).unwrap()
            });
        options.title = "Iran: welfare service centers".into();
        save_sample(&plan, sites.as_ref(), &options, "map_national.svg");
    }
}

/// Renders `plan` into `name` in the temporary folder, checks that neighbours differ in
/// fill, and prints the file's size and the time taken (for [`render_samples`]).
fn save_sample(plan: &Plan, sites: Option<&SitePlan>, options: &MapOptions, name: &str) {
    let started = std::time::Instant::now();
    let svg = render_string(plan, sites, options);
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, &svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let fills = fills(&doc, plan);
    let view = layout(plan, options.width_px).view;
    let adjacent = neighbours(&projected_rings(plan, &view), NEIGHBOUR_TOLERANCE_PX);
    for (v, list) in adjacent.iter().enumerate() {
        for &w in list {
            assert_ne!(fills[v], fills[w as usize], "{v} and {w}");
        }
    }
    println!(
        "{}: {} bytes, {} catchments, {} neighbour pairs, {:?}",
        path.display(),
        svg.len(),
        plan.catchments.len(),
        adjacent.iter().map(Vec::len).sum::<usize>() / 2,
        started.elapsed()
    );
}

#[test]
fn a_replan_marks_existing_centers_and_new_catchments() {
    let (planner, hh, plan) = plan_of(4_000);
    let mut previous = crate::network::Previous::from_plan(&plan, &hh, None);
    // Two open centers (at their ideal centers), one closed: a new catchment takes its place.
    for c in 0..2 {
        previous.centers[c].status = crate::network::CenterStatus::Open;
    }
    previous.centers[5].status = crate::network::CenterStatus::Closed;
    let again = planner.replan(&hh, &previous).expect("re-plan");
    let svg = render_string(&again, None, &options());
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    let marked = |attr: &str| doc.descendants().filter(|n| n.has_attribute(attr)).count();
    assert_eq!(marked("data-existing"), 2);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("data-change") == Some("new"))
            .count(),
        1
    );
    let text = texts(&doc).join(" ");
    assert!(text.contains("2 existing centers"), "{text}");
    assert!(text.contains("Existing center (2)") && text.contains("New catchment (1)"));
}
