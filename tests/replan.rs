//! Re-planning around an existing network (SPEC §8): idempotence, the invariants after
//! growth, decline and closures, open centers kept inside their catchments, and the same
//! plan whatever the number of threads or the order of the rows.

mod common;

use siting::synth::years;

use common::{assert_invariants, clustered};
use proptest::prelude::*;
use siting::{
    CenterStatus, Change, Households, MoveReason, Objective, Plan, PlanConfig, Planner, Previous,
    Shape,
};

/// A previous network from `plan` with every other catchment's center open (a metre from
/// one of its own households, as a real building would be).
fn network(plan: &Plan, hh: &Households) -> Previous {
    let mut previous = Previous::from_plan(plan, hh, None);
    for (c, center) in previous.centers.iter_mut().enumerate() {
        if c % 2 == 0 {
            let home = plan
                .assignment
                .iter()
                .position(|&a| a as usize == c)
                .map(|i| {
                    siting::LonLat::new(hh.items[i].position.lon + 1e-5, hh.items[i].position.lat)
                });
            center.status = CenterStatus::Open;
            center.position = home.unwrap_or(plan.catchments[c].center);
        }
    }
    previous
}

/// A previous network from `plan` with every catchment's center open at an awarded site
/// off its center: the catchment's household farthest from its center (a metre from it),
/// as a site proposed near a catchment's edge can be.
fn off_center_network(plan: &Plan, hh: &Households) -> Previous {
    let mut previous = Previous::from_plan(plan, hh, None);
    let mut far: Vec<Option<(f64, usize)>> = vec![None; plan.catchments.len()];
    for (i, &a) in plan.assignment.iter().enumerate() {
        let (c, p) = (a as usize, hh.items[i].position);
        let center = plan.catchments[c].center;
        let d = (p.lon - center.lon).powi(2) + (p.lat - center.lat).powi(2);
        if far[c].is_none_or(|(best, _)| d > best) {
            far[c] = Some((d, i));
        }
    }
    for (c, center) in previous.centers.iter_mut().enumerate() {
        if let Some((_, i)) = far[c] {
            center.status = CenterStatus::Open;
            let p = hh.items[i].position;
            center.position = siting::LonLat::new(p.lon + 1e-5, p.lat);
        }
    }
    previous
}

fn inside(shape: &Shape, p: siting::LonLat) -> bool {
    use geo::{Contains, Distance, Euclidean};
    let poly = shape.to_geo();
    let point = geo::Point::new(p.lon, p.lat);
    poly.contains(&point)
        || poly
            .iter()
            .any(|q| Euclidean.distance(&point, q.exterior()) < 1e-7)
}

/// Asserts the invariants, or, where the plan reports polygons it could not draw cleanly
/// (the known gap of issue 17), the bounds and the assignment only; returns the number of
/// households and polygon pairs reported.
fn check(plan: &Plan, hh: &Households) -> usize {
    let reported: usize = plan
        .regions
        .iter()
        .map(|r| r.overlapping_pairs + r.households_outside)
        .sum();
    if reported == 0 {
        assert_invariants(plan, hh);
    } else {
        assert_eq!(plan.assignment.len(), hh.len());
        assert!(plan.metrics.balanced);
        for c in &plan.catchments {
            let r = &plan.regions[c.region as usize];
            assert!(c.households >= r.min_size && c.households <= r.max_size);
        }
    }
    reported
}

/// Every open center keeps its id and building, and the building lies in its catchment.
fn assert_open_centers_kept(plan: &Plan, previous: &Previous, interleaved: bool) {
    let replan = plan.replan.as_ref().expect("a re-plan");
    for center in previous
        .centers
        .iter()
        .filter(|c| c.status == CenterStatus::Open)
    {
        let c = plan
            .catchments
            .iter()
            .position(|c| c.id == center.id)
            .unwrap_or_else(|| panic!("open center {} lost its catchment", center.id));
        // Kept, or named as a merge candidate where its region has more centers than it
        // needs (a region that shrank).
        let change = replan.catchments[c].change;
        assert!(
            matches!(change, Change::Kept | Change::MergedCandidate),
            "{change:?}"
        );
        assert_eq!(replan.catchments[c].building, Some(center.position));
        // Inside its catchment (the buildings here are at its households); in regions
        // whose households interleave, reported where another region's catchment holds it.
        let reported = || {
            plan.warnings
                .iter()
                .any(|w| w.message.contains(&format!("center {} ", center.id)))
        };
        assert!(
            inside(&plan.catchments[c].shape, center.position) || (interleaved && reported()),
            "the building of {} is outside its catchment",
            center.id
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// An unchanged file re-planned against its own plan moves nobody, reproduces the
    /// assignment exactly, and draws clean polygons (from the previous plan's generators).
    #[test]
    fn an_unchanged_file_moves_nobody(
        n in 600usize..3_000, blobs in 1usize..6, target in 80u32..400, seed in any::<u64>(),
    ) {
        let hh = clustered(n, blobs, seed);
        let planner = Planner::new(PlanConfig::default().target_size(target).seed(seed)).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let previous = network(&plan, &hh);
        let again = planner.replan(&hh, &previous).unwrap();
        prop_assert_eq!(&again.assignment, &plan.assignment);
        let replan = again.replan.as_ref().unwrap();
        prop_assert_eq!(replan.total.moved, 0);
        prop_assert!(replan.moves.is_empty());
        let ids: Vec<&str> = again.catchments.iter().map(|c| c.id.as_str()).collect();
        let before: Vec<&str> = plan.catchments.iter().map(|c| c.id.as_str()).collect();
        prop_assert_eq!(ids, before);
        assert_invariants(&again, &hh);
        assert_open_centers_kept(&again, &previous, false);
    }
}

proptest! {
    // Fixed inputs in CI: 1,000 random ones passed on 2026-12-05 (run with more cases and
    // another seed to search further).
    #![proptest_config(ProptestConfig {
        cases: 32,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_205),
        ..ProptestConfig::default()
    })]

    /// After growth and removals the bounds, containment, non-overlap and open centers hold,
    /// and every household in both files is counted once. It failed on a few inputs in a
    /// thousand until new households got homes (2026-12-05): new catchments gathered
    /// scattered newcomers, and the border split of their hundred pieces could leave a
    /// needle of overlap micrometres wide where two nearly collinear edges met, or a
    /// household outside its polygon (the inputs are in
    /// `growth_cases_found_by_the_property_test`); 1,000 inputs passed since.
    #[test]
    fn growth_keeps_the_invariants(
        n in 800usize..3_000, blobs in 1usize..6, target in 80u32..300, seed in any::<u64>(),
        grow in 5usize..30, edge in any::<bool>(),
    ) {
        let network_of = if edge { off_center_network } else { network };
        let (again, before, after, previous) =
            grown_around(n, blobs, target, seed, grow, network_of);
        assert_invariants(&again, &after);
        assert_open_centers_kept(&again, &previous, false);
        let r = again.replan.as_ref().unwrap();
        prop_assert_eq!(r.total.stayed + r.total.moved + r.total.new, after.total_weight());
        prop_assert_eq!(r.total.stayed + r.total.moved + r.total.left, before.total_weight());
        for m in &r.moves {
            prop_assert_eq!(m.from.is_none(), m.reason == MoveReason::NewHousehold);
            prop_assert_eq!(m.to.is_none(), m.reason == MoveReason::Left);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_205),
        ..ProptestConfig::default()
    })]

    /// The same in two regions whose households interleave along their border (each
    /// household's region flipped at random with probability `mixed` / 2): the overlaps
    /// within each region are split first, region beside region, then those between the
    /// regions on the shapes, of several parts and holes, that the first pass made. A
    /// crumb of overlap the split could not remove is reported, never silent (`check`):
    /// 6 of 400 inputs reported one or two on 2026-12-05, each under 1 m².
    #[test]
    fn growth_in_interleaved_regions_keeps_the_invariants(
        n in 800usize..2_500, blobs in 1usize..4, target in 80u32..250, seed in any::<u64>(),
        grow in 5usize..25, mixed in prop_oneof![Just(1.0), Just(0.1)],
    ) {
        let (again, after, previous) = grown_interleaved(n, blobs, target, seed, grow, mixed);
        check(&again, &after);
        assert_open_centers_kept(&again, &previous, true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_206),
        ..ProptestConfig::default()
    })]

    /// A plan made for the travel objective re-planned unchanged moves nobody: its
    /// catchments are additively weighted cells, which no power diagram need hold, so the
    /// re-plan keeps households in its own terms (distance plus the price of a move). In
    /// the squared terms the sample's own travel plan moved 121 households.
    #[test]
    fn an_unchanged_travel_plan_moves_nobody(
        n in 600usize..2_500, blobs in 1usize..6, target in 80u32..400, seed in any::<u64>(),
    ) {
        let hh = clustered(n, blobs, seed);
        let config = PlanConfig::default()
            .target_size(target)
            .seed(seed)
            .objective(Objective::Distance);
        let planner = Planner::new(config).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let previous = network(&plan, &hh);
        let again = planner.replan(&hh, &previous).unwrap();
        prop_assert_eq!(&again.assignment, &plan.assignment);
        prop_assert_eq!(again.replan.as_ref().unwrap().total.moved, 0);
        assert_invariants(&again, &hh);
        assert_open_centers_kept(&again, &previous, false);
    }

    /// Growth of a travel plan, re-planned for travel: the bounds, containment,
    /// non-overlap, open centers and the households' count hold as in the squared terms.
    #[test]
    fn growth_of_a_travel_plan_keeps_the_invariants(
        n in 800usize..2_500, blobs in 1usize..6, target in 80u32..300, seed in any::<u64>(),
        grow in 5usize..30, edge in any::<bool>(),
    ) {
        let network_of = if edge { off_center_network } else { network };
        let config = PlanConfig::default()
            .target_size(target)
            .seed(seed)
            .objective(Objective::Distance);
        let (again, before, after, previous) = grown_with(config, n, blobs, grow, network_of);
        assert_invariants(&again, &after);
        assert_open_centers_kept(&again, &previous, false);
        let r = again.replan.as_ref().unwrap();
        prop_assert_eq!(r.total.stayed + r.total.moved + r.total.new, after.total_weight());
        prop_assert_eq!(r.total.stayed + r.total.moved + r.total.left, before.total_weight());
    }
}

/// Interleaved-region cases the property test found, which now hold every invariant with
/// nothing reported: a ring whose three vertices rounded onto one grid line made a spike
/// folding back through the vertex before it (a self-crossing for GIS tools); the island
/// that the split within a region gave an open center's building, whose 0.95 m² square
/// the split between regions then cut out of the other region's catchment as a hole
/// small enough to be dropped as a sliver (0.95 m² of overlap, reported); and an
/// exterior and two holes touching at one vertex, which the tests' own check of
/// connected interiors took for a cycle (GEOS calls it valid). Found once polygon edges
/// were densified every 500 m instead of 200 m (session 26): a spike whose tip the
/// rounding made two vertices, its way back passing exactly through its base; and a
/// needle split off where its ring passed a vertex twice, folding back at that vertex.
/// Then by 1,200 more random inputs (another seed), with 200 m edges as well: a ring
/// running down a grid line, around a loop and back up the same line past where it came
/// down (1,200 random inputs passed once flat triangles' vertices were put in the rings).
#[test]
fn interleaved_growth_cases_found_by_the_property_test() {
    for (n, blobs, target, seed, grow, mixed) in [
        (1946, 3, 214, 2_216_604_024_415_809_941, 16, 1.0),
        (1624, 1, 182, 932_151_808_955_241_971, 5, 0.1),
        (1486, 3, 136, 14_805_694_209_734_511_703, 19, 0.1),
        (2477, 3, 196, 13_747_186_037_242_898_848, 17, 1.0),
        (2477, 3, 196, 13_747_212_257_969_404_069, 17, 1.0),
        (2472, 1, 83, 15_740_553_755_561_870_494, 7, 1.0),
    ] {
        let (again, after, previous) = grown_interleaved(n, blobs, target, seed, grow, mixed);
        assert!(
            again
                .regions
                .iter()
                .all(|r| r.households_outside == 0 && r.overlapping_pairs == 0)
        );
        assert_invariants(&again, &after);
        assert_open_centers_kept(&again, &previous, true);
    }
}

/// `n` households in two interleaved regions (see `common::interleaved`) planned, then
/// grown by `grow` % with every 33rd removed and re-planned against the plan's network:
/// (re-plan, this year's file, network).
fn grown_interleaved(
    n: usize,
    blobs: usize,
    target: u32,
    seed: u64,
    grow: usize,
    mixed: f64,
) -> (Plan, Households, Previous) {
    let all = common::interleaved(n + n * grow / 100, blobs, seed, mixed);
    let (before, after) = years(&all, all.len() * 100 / (100 + grow), 33);
    let planner = Planner::new(PlanConfig::default().target_size(target).seed(seed)).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = network(&plan, &before);
    let again = planner.replan(&after, &previous).unwrap();
    (again, after, previous)
}

/// `n` clustered households planned, then grown by `grow` % with every 33rd removed and
/// re-planned against the plan's network: (re-plan, last year's file, this year's file,
/// network).
fn grown(
    n: usize,
    blobs: usize,
    target: u32,
    seed: u64,
    grow: usize,
) -> (Plan, Households, Households, Previous) {
    grown_around(n, blobs, target, seed, grow, network)
}

/// [`grown`] with the previous network made by `network_of`.
fn grown_around(
    n: usize,
    blobs: usize,
    target: u32,
    seed: u64,
    grow: usize,
    network_of: fn(&Plan, &Households) -> Previous,
) -> (Plan, Households, Households, Previous) {
    let config = PlanConfig::default().target_size(target).seed(seed);
    grown_with(config, n, blobs, grow, network_of)
}

/// [`grown_around`] planned and re-planned with `config` (its seed seeds the households).
fn grown_with(
    config: PlanConfig,
    n: usize,
    blobs: usize,
    grow: usize,
    network_of: fn(&Plan, &Households) -> Previous,
) -> (Plan, Households, Households, Previous) {
    let all = clustered(n + n * grow / 100, blobs, config.seed);
    let (before, after) = years(&all, n, 33);
    let planner = Planner::new(config).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = network_of(&plan, &before);
    let again = planner.replan(&after, &previous).unwrap();
    (again, before, after, previous)
}

/// Growth cases the property test found, which now hold every invariant: a catchment grown
/// over a household kept across its border had a kilometre-long edge that bent past one
/// of its own households once drawn in longitude/latitude (its edges near its households
/// are densified now); a cluster left unsplit, 17 m² of overlap, for a crumb; and two
/// blobs of households far apart whose catchments were nobody's nearest, so that four
/// catchments of the blob that grew stayed over their bounds (105 of at most 100: the
/// repair's catchment graph is connected now); and a hole touching its exterior at two
/// points, cutting the catchment in two (invalid for GIS tools; rebuilt as two parts now,
/// where a boolean union dropped a vertex and left a needle of overlap).
#[test]
fn growth_cases_found_by_the_property_test() {
    for (n, blobs, target, seed, grow) in [
        (901, 4, 201, 5_219_431_079_447_144_869, 5),
        (2037, 2, 124, 18_076_096_522_108_135_959, 17),
        (1631, 5, 217, 5_287_946_685_114_457_905, 21),
        (2606, 2, 91, 5_736_676_720_173_343_537, 14),
        (2564, 1, 84, 11_117_948_723_548_335_530, 12),
        (2296, 3, 242, 14_115_305_968_229_524_206, 24),
    ] {
        let (again, _, after, previous) = grown(n, blobs, target, seed, grow);
        assert_invariants(&again, &after);
        assert_open_centers_kept(&again, &previous, false);
    }
}

/// A region of one catchment whose households now need two or three: each new catchment is
/// a block of its own, one polygon, not households picked all over the old catchment's
/// area (its seed once sat on the kept generator, which tied every household: a county
/// of one catchment grown to two got a second of 273 parts, 272 of them 1 m² islands).
#[test]
fn a_lone_catchment_that_needs_company_is_split_into_blocks() {
    for (n, blobs, seed, grow) in [(560, 3, 1, 30), (600, 2, 2, 45), (520, 4, 3, 90)] {
        let (again, _, after, previous) = grown(n, blobs, 450, seed, grow);
        let counts = (previous.centers.len(), again.catchments.len());
        assert!(counts.0 == 1 && counts.1 >= 2, "seed {seed}: {counts:?}");
        assert_invariants(&again, &after);
        for c in &again.catchments {
            assert_eq!(c.shape.parts.len(), 1, "seed {seed}: {} in parts", c.id);
        }
    }
    // The county where it was found (generated households of Astara, Gilan, one year
    // apart: 668, then 721 with 77 new).
    let read = |name: &str| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/replan")
            .join(name);
        siting::read_households_file(&path, &siting::ReadOptions::default())
            .unwrap()
            .0
    };
    let (before, after) = (read("astara_before.csv"), read("astara_after.csv"));
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let previous = Previous::from_plan(&planner.plan(&before).unwrap(), &before, None);
    let again = planner.replan(&after, &previous).unwrap();
    assert_eq!(again.catchments.len(), 2);
    assert_invariants(&again, &after);
    for c in &again.catchments {
        assert_eq!(c.shape.parts.len(), 1, "Astara: {} in parts", c.id);
    }
}

/// Open centers at awarded sites on their catchments' edges (each at the household
/// farthest from its center): after growth, a new catchment or a neighbour can take the
/// building's surroundings. Each building still lies in its own catchment: a new
/// catchment that took one steps off it or swaps ids with it (whichever moves fewer
/// households), and the polygon of a catchment whose building lies in a neighbour's cell
/// grows over it like over a household kept across a border. Before, 1–6 buildings per
/// input were left outside (seed 5: five, all in neighbours' cells; seed 24: three of
/// five in new catchments').
#[test]
fn buildings_on_the_edge_stay_in_their_catchments() {
    for seed in [5u64, 10, 24, 28, 29, 30] {
        let n = 3_000 + (seed as usize * 137) % 2_000;
        let all = clustered(n + n * 12 / 100, 1 + (seed as usize) % 4, seed);
        let (before, after) = years(&all, n, 33);
        let planner = Planner::new(PlanConfig::default().target_size(150).seed(seed)).unwrap();
        let previous = off_center_network(&planner.plan(&before).unwrap(), &before);
        let again = planner.replan(&after, &previous).unwrap();
        assert_invariants(&again, &after);
        assert_open_centers_kept(&again, &previous, false);
        assert!(
            !again
                .warnings
                .iter()
                .any(|w| w.message.contains("lies outside")),
            "seed {seed}"
        );
    }
}

/// Where the border split still leaves overlap (the known gap above), it is a crumb: the
/// cluster is split anyway, every overlap is under 0.01 m², and the plan reports it. The
/// first input left 5,201 m² before session 9 (then a T-junction crumb, now none); the
/// second still leaves a crumb.
#[test]
fn a_crumb_left_by_the_border_split_is_small_and_reported() {
    use geo::BoundingRect;
    for (n, blobs, target, seed, grow) in [
        (859, 4, 264, 6_786_765_939_340_457_737, 26),
        (1542, 4, 98, 9_390_558_367_366_489_709, 19),
    ] {
        let (again, _, _, _) = grown(n, blobs, target, seed, grow);
        let polys: Vec<_> = again.catchments.iter().map(|c| c.shape.to_geo()).collect();
        let mut worst = 0.0f64;
        for a in 0..polys.len() {
            for b in a + 1..polys.len() {
                let (Some(ra), Some(rb)) = (polys[a].bounding_rect(), polys[b].bounding_rect())
                else {
                    continue;
                };
                if geo::Intersects::intersects(&ra, &rb) {
                    worst = worst.max(common::overlap_m2(&polys[a], &polys[b]));
                }
            }
        }
        assert!(worst < 0.01, "overlap of {worst} m²");
        let reported: usize = again.regions.iter().map(|r| r.overlapping_pairs).sum();
        assert!(
            worst < 1e-4 || reported > 0,
            "an overlap of {worst} m² is not reported"
        );
    }
}

/// The bundled generator's households re-planned unchanged: nobody moves, and every
/// invariant holds.
#[test]
fn an_unchanged_generated_file_moves_nobody() {
    for seed in [1, 2, 3] {
        let hh = siting::synth::households(6_000, seed);
        let planner = Planner::new(PlanConfig::default()).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let previous = network(&plan, &hh);
        let again = planner.replan(&hh, &previous).unwrap();
        assert_eq!(again.assignment, plan.assignment, "seed {seed}");
        assert_eq!(again.replan.as_ref().unwrap().total.moved, 0);
        assert_eq!(check(&again, &hh), 0, "seed {seed}");
        assert_open_centers_kept(&again, &previous, false);
    }
}

/// A re-plan at another sizing than its previous plan's says so, once per parameter that
/// differs, and is planned at the new sizing; at the same sizing it says nothing of it.
#[test]
fn a_replan_sized_otherwise_than_its_previous_plan_warns() {
    let hh = siting::synth::households(6_000, 4);
    let plan = Planner::new(PlanConfig::default())
        .unwrap()
        .plan(&hh)
        .unwrap();
    let previous = Previous::from_plan(&plan, &hh, None);
    let sized = |p: &Plan| {
        p.warnings
            .iter()
            .filter(|w| w.message.contains("the previous plan"))
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    let same = Planner::new(PlanConfig::default())
        .unwrap()
        .replan(&hh, &previous)
        .unwrap();
    assert!(sized(&same).is_empty(), "{:?}", sized(&same));
    let config = PlanConfig::default().target_size(300).size_tolerance(0.05);
    let other = Planner::new(config)
        .unwrap()
        .replan(&hh, &previous)
        .unwrap();
    let said = sized(&other);
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].contains("--target 450, this re-plan with 300"),
        "{}",
        said[0]
    );
    assert!(
        said[1].contains("--tolerance 0.1, this re-plan with 0.05"),
        "{}",
        said[1]
    );
    // Planned at the new sizing: 6,000 / 300 catchments.
    assert_eq!(other.catchments.len(), 20);
    assert_invariants(&other, &hh);
}

/// Generated growth of 10 % with 3 % removed: every invariant holds, at most a few percent
/// of the households that stayed move (against ~30 % from scratch), and each new catchment
/// is carved whole: a few parts at most, where gathering the free newcomers of a wide
/// area drew each in a hundred or more.
#[test]
fn generated_growth_moves_few() {
    let all = siting::synth::households(13_200, 7);
    let (before, after) = years(&all, 12_000, 33);
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = Previous::from_plan(&plan, &before, None);
    let again = planner.replan(&after, &previous).unwrap();
    assert_invariants(&again, &after);
    let r = again.replan.as_ref().unwrap();
    assert!(r.new_catchments() >= 1);
    assert!(r.total.moved_share() < 0.10, "{}", r.total.moved_share());
    for (c, change) in again.catchments.iter().zip(&r.catchments) {
        if change.change == Change::New {
            let parts = c.shape.to_geo().0.len();
            assert!(parts <= 10, "{} in {parts} parts", c.id);
        }
    }
}

/// Closed centers lose their catchments; their households are re-planned with the reason
/// `center_closed`, and the other catchments keep their ids.
#[test]
fn closed_centers_are_removed_and_their_households_replanned() {
    let hh = siting::synth::households(8_000, 4);
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let plan = planner.plan(&hh).unwrap();
    let mut previous = network(&plan, &hh);
    previous.centers[3].status = CenterStatus::Closed;
    previous.centers[8].status = CenterStatus::Closed;
    let closed = [
        previous.centers[3].id.clone(),
        previous.centers[8].id.clone(),
    ];
    let again = planner.replan(&hh, &previous).unwrap();
    assert_invariants(&again, &hh);
    assert_open_centers_kept(&again, &previous, false);
    let r = again.replan.as_ref().unwrap();
    assert_eq!(r.closed, closed);
    // k = round(8000 / 450) = 18 needs two new catchments where the two were closed.
    assert_eq!(again.catchments.len(), plan.catchments.len());
    assert_eq!(r.new_catchments(), 2);
    assert!(again.catchments.iter().all(|c| !closed.contains(&c.id)));
    let from_closed: u64 = hh
        .items
        .iter()
        .zip(&plan.assignment)
        .filter(|(_, c)| closed.contains(&plan.catchments[**c as usize].id))
        .map(|(h, _)| u64::from(h.weight))
        .sum();
    let reasons = |why: MoveReason| -> u64 {
        r.moves
            .iter()
            .filter(|m| m.reason == why)
            .map(|m| u64::from(m.weight))
            .sum()
    };
    assert_eq!(reasons(MoveReason::CenterClosed), from_closed);
    // Moves stay near the closed catchments: few others move.
    assert!(reasons(MoveReason::Rebalanced) < from_closed, "{r:?}");
}

/// A decline keeps every center and names merge candidates.
#[test]
fn a_decline_keeps_every_center_and_names_merge_candidates() {
    let all = siting::synth::households(10_000, 6);
    let (before, _) = years(&all, 10_000, 0);
    let (_, after) = years(&all, 10_000, 7); // −14 %
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = network(&plan, &before);
    let again = planner.replan(&after, &previous).unwrap();
    // Today this case reports 4 households outside their polygons (the known gap).
    assert!(check(&again, &after) <= 4);
    assert_eq!(again.catchments.len(), plan.catchments.len());
    let r = again.replan.as_ref().unwrap();
    assert_eq!(r.oversupply.len(), 1);
    let o = &r.oversupply[0];
    assert_eq!(o.centers, plan.catchments.len());
    assert!(o.needed < o.centers);
    assert_eq!(o.merge_candidates.len(), o.centers - o.needed);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_206),
        ..ProptestConfig::default()
    })]

    /// A re-plan does not depend on the order of this year's rows: the same catchments
    /// (polygons, ids, changes) and every household in the same one.
    #[test]
    fn a_replan_does_not_depend_on_row_order(
        n in 600usize..2_000, blobs in 1usize..4, seed in any::<u64>(), rot in 1usize..500,
        grow in 0usize..20,
    ) {
        same_replan_in_another_row_order(n, blobs, seed, rot, grow);
    }
}

/// Re-plans `n` clustered households grown by `grow` % against last year's plan, with this
/// year's rows as they are and rotated by `rot` then reversed; asserts the same catchments,
/// changes and households in each.
fn same_replan_in_another_row_order(n: usize, blobs: usize, seed: u64, rot: usize, grow: usize) {
    let all = clustered(n + n * grow / 100, blobs, seed);
    let (before, after) = years(&all, n, 33);
    let planner = Planner::new(PlanConfig::default().target_size(150).seed(seed)).unwrap();
    let previous = network(&planner.plan(&before).unwrap(), &before);
    let mut shuffled = after.clone();
    let len = shuffled.items.len();
    shuffled.items.rotate_left(rot % len);
    shuffled.items.reverse();
    let a = planner.replan(&after, &previous).unwrap();
    let b = planner.replan(&shuffled, &previous).unwrap();
    assert_eq!(a.catchments, b.catchments);
    assert_eq!(common::by_id(&a, &after), common::by_id(&b, &shuffled));
    let changes = |plan: &Plan| {
        plan.replan
            .as_ref()
            .map(|r| (r.total.clone(), r.catchments.clone()))
    };
    assert_eq!(changes(&a), changes(&b));
}

/// The input on which the row-order property failed (one in about 200): the border split
/// took each catchment's households in row order, and a tie in it went another way.
#[test]
fn row_order_cases_found_by_the_property_test() {
    same_replan_in_another_row_order(1221, 1, 14_501_951_728_494_088_055, 163, 17);
}

/// The same re-plan with one thread and with two.
#[test]
fn a_replan_is_identical_across_thread_counts() {
    let all = siting::synth::households(9_000, 8);
    let (before, after) = years(&all, 8_000, 33);
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = network(&plan, &before);
    let run = |threads: usize| replan_with_threads(&planner, &after, &previous, threads);
    assert_eq!(run(1), run(2));
}

/// The same with regions whose catchments overlap within and between regions, where the
/// border split runs region beside region and then between them.
#[test]
fn a_replan_of_interleaved_regions_is_identical_across_thread_counts() {
    let all = common::interleaved(2_600, 3, 12_345, 0.1);
    let (before, after) = years(&all, all.len() * 10 / 11, 33);
    let planner = Planner::new(PlanConfig::default().target_size(120).seed(7)).unwrap();
    let plan = planner.plan(&before).unwrap();
    let previous = network(&plan, &before);
    let run = |threads: usize| replan_with_threads(&planner, &after, &previous, threads);
    let one = run(1);
    assert!(one.catchments.iter().any(|c| c.shape.parts.len() > 1));
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}

/// `planner`'s re-plan of `after` against `previous` on a pool of `threads` threads.
fn replan_with_threads(
    planner: &Planner,
    after: &Households,
    previous: &Previous,
    threads: usize,
) -> Plan {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| planner.replan(after, previous).unwrap())
}

/// A re-plan asked with other regions than its previous plan says what to do.
#[test]
fn other_region_columns_are_refused() {
    let hh = siting::synth::households(2_000, 1);
    let planner = Planner::new(PlanConfig::default()).unwrap();
    let plan = planner.plan(&hh).unwrap();
    let mut previous = Previous::from_plan(&plan, &hh, None);
    previous.region_columns = Some(vec!["province".into()]);
    let err = planner.replan(&hh, &previous).unwrap_err();
    assert_eq!(err.code(), "previous_parameters");
    assert!(err.to_string().contains("--by province"), "{err}");
}

/// A single-blob region of 26 small catchments whose prices took 14 rounds to fit (once
/// capped at 4, which moved two households of an unchanged file).
#[test]
fn an_unchanged_file_of_many_small_catchments_moves_nobody() {
    let seed = 5_429_983_202_250_649_206;
    let hh = clustered(2_078, 1, seed);
    let planner = Planner::new(PlanConfig::default().target_size(80).seed(seed)).unwrap();
    let plan = planner.plan(&hh).unwrap();
    let previous = network(&plan, &hh);
    let again = planner.replan(&hh, &previous).unwrap();
    assert!(again.replan.as_ref().unwrap().moves.is_empty());
    assert_eq!(again.assignment, plan.assignment);
}

/// A region whose only center closed is planned afresh (it once panicked: no catchment was
/// left to keep).
#[test]
fn a_region_whose_every_center_closed_is_planned_afresh() {
    let hh = clustered(1_800, 2, 7);
    for objective in [Objective::Squared, Objective::Distance] {
        let config = PlanConfig::default()
            .target_size(450)
            .seed(7)
            .objective(objective);
        let planner = Planner::new(config).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let mut previous = Previous::from_plan(&plan, &hh, None);
        for center in &mut previous.centers {
            center.status = CenterStatus::Closed;
        }
        let again = planner.replan(&hh, &previous).unwrap();
        assert_eq!(again.catchments.len(), 4);
        assert_invariants(&again, &hh);
        // Afresh in the plan's own terms: the trips of a plan from scratch (for the travel
        // objective they were once the squared plan's).
        let ratio = again.metrics.mean_distance_m / plan.metrics.mean_distance_m;
        assert!((ratio - 1.0).abs() < 1e-9, "{objective:?}: {ratio}");
    }
}
