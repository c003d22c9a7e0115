//! Locating, scoring and awarding applicants' proposals: the rules of SPEC §4.3 checked as
//! properties over random plans and applicants, and the reasons checked on small cases.

use proptest::prelude::*;
use siting::{
    Applicant, Applicants, AwardRule, Households, LonLat, Plan, PlanConfig, Planner, Proposal,
    SitePlan,
};
use siting::{Outcome, ProposalStatus};

fn applicant(id: &str, score: Option<f64>, sites: &[LonLat]) -> Applicant {
    Applicant {
        id: id.into(),
        score,
        eligible: true,
        max_centers: 1,
        proposals: sites
            .iter()
            .enumerate()
            .map(|(i, &position)| Proposal {
                preference: i as u8 + 1,
                position,
                line: 2,
            })
            .collect(),
        line: 2,
    }
}

fn applicants(items: Vec<Applicant>) -> Applicants {
    Applicants {
        items,
        ignored_columns: Vec::new(),
        rejected: Vec::new(),
    }
}

/// 4 × 450 households on a grid: four catchments.
fn grid_plan(config: PlanConfig) -> (Planner, Households, Plan) {
    let points: Vec<(String, f64, f64)> = (0..1800)
        .map(|i| {
            (
                format!("h{i}"),
                51.0 + (i % 60) as f64 * 0.002,
                35.0 + (i / 60) as f64 * 0.002,
            )
        })
        .collect();
    let hh = Households::from_points(points.iter().map(|(id, x, y)| (id.as_str(), *x, *y, 1)));
    let planner = Planner::new(config.target_size(450)).expect("valid config");
    let plan = planner.plan(&hh).expect("plan");
    (planner, hh, plan)
}

#[test]
fn a_site_at_the_ideal_center_is_fully_efficient_and_a_far_one_is_outside() {
    let (planner, hh, plan) = grid_plan(PlanConfig::default());
    let c0 = plan.catchments[0].center;
    let far = LonLat::new(c0.lon + 1.0, c0.lat);
    let apps = applicants(vec![applicant("A-1", Some(50.0), &[far, c0])]);
    let sites = &planner.award_sites(&plan, &hh, &apps).unwrap();
    assert_eq!(sites.proposals[0].catchment(), None);
    assert_eq!(sites.proposals[1].catchment(), Some(0));
    let e = sites.proposals[1].efficiency().unwrap();
    assert!(e > 0.999 && e <= 1.0, "{e}");
    assert_eq!(sites.award.catchment_site[0], Some(1));
    assert_eq!(
        sites.award.applicants[0].reason,
        format!(
            "awarded {} with preference 2; preference 1 outside the plan area",
            plan.catchments[0].id
        )
    );
    assert_eq!(sites.gaps, vec![1, 2, 3]);
}

#[test]
fn the_higher_score_wins_and_the_loser_is_told_why() {
    let (planner, hh, plan) = grid_plan(PlanConfig::default());
    let c0 = plan.catchments[0].center;
    let c1 = plan.catchments[1].center;
    let apps = applicants(vec![
        applicant("A-2", Some(75.0), &[c0, c1]),
        applicant("A-1", Some(88.0), &[c0]),
        applicant("A-3", Some(60.0), &[c0, c1]),
    ]);
    let sites = &planner.award_sites(&plan, &hh, &apps).unwrap();
    let r = &sites.award.applicants;
    let (id0, id1) = (&plan.catchments[0].id, &plan.catchments[1].id);
    assert_eq!(r[1].reason, format!("awarded {id0} with preference 1"));
    assert_eq!(
        r[0].reason,
        format!("awarded {id1} with preference 2; preference 1 ({id0}) went to A-1, score 88 > 75")
    );
    assert_eq!(r[2].outcome, Outcome::NotAwarded);
    assert_eq!(
        r[2].reason,
        format!(
            "not awarded: preference 1 ({id0}) went to A-1, score 88 > 60; \
             preference 2 ({id1}) went to A-2, score 75 > 60"
        )
    );
}

#[test]
fn below_the_floor_and_ineligible_are_never_awarded() {
    let (planner, hh, plan) = grid_plan(PlanConfig::default().min_efficiency(0.95));
    let c0 = plan.catchments[0].center;
    // A corner of the grid: inside the plan but a poor site for its catchment.
    let corner = LonLat::new(51.0, 35.0);
    let mut ineligible = applicant("A-9", Some(99.0), &[c0]);
    ineligible.eligible = false;
    let apps = applicants(vec![ineligible, applicant("A-1", Some(10.0), &[corner])]);
    let sites = &planner.award_sites(&plan, &hh, &apps).unwrap();
    assert_eq!(sites.award.applicants[0].outcome, Outcome::Ineligible);
    assert_eq!(sites.award.applicants[1].outcome, Outcome::NotAwarded);
    assert!(
        sites.award.applicants[1]
            .reason
            .starts_with("not awarded: preference 1 below the efficiency floor of 0.95 (0."),
        "{}",
        sites.award.applicants[1].reason
    );
    assert_eq!(sites.gaps.len(), plan.catchments.len());
}

#[test]
fn optimal_gives_more_access_than_priority_when_they_differ() {
    let (planner, hh, plan) = grid_plan(PlanConfig::default().award_rule(AwardRule::Optimal));
    let c0 = plan.catchments[0].center;
    let c1 = plan.catchments[1].center;
    // A-1 (first by score) wants catchment 0 then 1; A-2 can only serve catchment 0.
    // Priority gives A-1 catchment 0 and leaves 1 empty; optimal serves both.
    let apps = applicants(vec![
        applicant("A-1", Some(90.0), &[c0, c1]),
        applicant("A-2", Some(50.0), &[c0]),
    ]);
    let sites = &planner.award_sites(&plan, &hh, &apps).unwrap();
    let (p, o) = (&sites.comparison[0].1, &sites.comparison[1].1);
    assert_eq!(p.catchments_awarded, 1);
    assert_eq!(o.catchments_awarded, 2);
    assert!(o.access > p.access);
    assert_eq!(sites.award.rule, AwardRule::Optimal);
    assert_eq!(sites.award.applicants[0].outcome, Outcome::Awarded);
    assert_eq!(sites.award.applicants[1].outcome, Outcome::Awarded);
    let (id0, _) = (&plan.catchments[0].id, &plan.catchments[1].id);
    assert!(
        sites.award.applicants[0]
            .reason
            .contains(&format!("preference 1 ({id0}) went to A-2")),
        "{}",
        sites.award.applicants[0].reason
    );
}

/// Random households in a few clusters and random applicants around them.
fn scenario() -> impl Strategy<Value = (Households, Applicants, u64)> {
    (
        2usize..6,
        any::<u64>(),
        prop::collection::vec(
            (
                prop::collection::vec((-0.08f64..0.08, -0.08f64..0.08), 1..6),
                prop::option::of(0u32..5),
                prop::bool::weighted(0.9),
                1u32..3,
            ),
            1..30,
        ),
    )
        .prop_map(|(k, seed, raw)| {
            let n = k * 120;
            let hh = siting::synth::households(n, seed);
            let base = hh.items[0].position;
            let items = raw
                .into_iter()
                .enumerate()
                .map(|(i, (sites, score, eligible, cap))| {
                    let sites: Vec<LonLat> = sites
                        .into_iter()
                        .map(|(dx, dy)| LonLat::new(base.lon + dx, base.lat + dy))
                        .collect();
                    let mut a = applicant(&format!("A-{i}"), score.map(f64::from), &sites);
                    a.eligible = eligible;
                    a.max_centers = cap;
                    a
                })
                .collect();
            (hh, applicants(items), seed)
        })
}

fn check_rules(
    sites: &SitePlan,
    apps: &Applicants,
    min_efficiency: f64,
) -> Result<(), TestCaseError> {
    let award = &sites.award;
    // At most one center per catchment, awarded to a proposal in that catchment.
    for (c, site) in award.catchment_site.iter().enumerate() {
        if let Some(i) = *site {
            prop_assert_eq!(sites.proposals[i].catchment(), Some(c as u32));
            prop_assert_eq!(award.proposal_status[i], ProposalStatus::Awarded);
            let e = sites.proposals[i].efficiency().unwrap();
            prop_assert!(e >= min_efficiency && e <= 1.0);
        }
    }
    let awarded_total = award
        .proposal_status
        .iter()
        .filter(|s| **s == ProposalStatus::Awarded)
        .count();
    prop_assert_eq!(awarded_total, award.catchment_site.iter().flatten().count());
    for (a, result) in award.applicants.iter().enumerate() {
        let app = &apps.items[a];
        prop_assert!(result.awarded.len() as u32 <= app.max_centers);
        if !app.eligible {
            prop_assert_eq!(result.outcome, Outcome::Ineligible);
            prop_assert!(result.awarded.is_empty());
        }
        prop_assert!(!result.reason.is_empty());
    }
    for s in &sites.proposals {
        if let Some(e) = s.efficiency() {
            prop_assert!(e > 0.0 && e <= 1.0, "efficiency {}", e);
            prop_assert!(s.rank_in_catchment.is_some());
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Both rules respect every constraint; optimal never delivers less access than
    /// priority; priority is a serial dictatorship: no applicant could have taken a more
    /// preferred acceptable proposal whose catchment went to someone of lower priority.
    #[test]
    fn awards_obey_the_rules((hh, apps, seed) in scenario()) {
        let config = PlanConfig::default().target_size(120).seed(seed).min_efficiency(0.5);
        let planner = Planner::new(config.clone()).unwrap();
        let plan = planner.plan(&hh).unwrap();
        let sites = &planner.award_sites(&plan, &hh, &apps).unwrap();
        check_rules(sites, &apps, 0.5)?;
        let (p, o) = (&sites.comparison[0].1, &sites.comparison[1].1);
        prop_assert!(o.access >= p.access - 1e-6, "optimal {} < priority {}", o.access, p.access);

        // Serial dictatorship: whoever holds a catchment an applicant wanted (acceptably,
        // before their last award or while they had room) comes earlier in priority.
        let award = &sites.award;
        let holder: Vec<Option<u32>> = award
            .catchment_site
            .iter()
            .map(|s| s.map(|i| sites.proposals[i].applicant))
            .collect();
        for (i, s) in sites.proposals.iter().enumerate() {
            if let ProposalStatus::CatchmentTaken { by } = award.proposal_status[i] {
                prop_assert_eq!(holder[s.catchment().unwrap() as usize], Some(by));
                prop_assert!(sites.priority[by as usize] < sites.priority[s.applicant as usize]);
            }
        }

        let optimal = Planner::new(config.award_rule(AwardRule::Optimal)).unwrap();
        let sites2 = optimal.award_sites(&plan, &hh, &apps).unwrap();
        check_rules(&sites2, &apps, 0.5)?;
        prop_assert_eq!(sites2.award.totals, *o);
    }
}
