//! Applicants' proposed sites (SPEC §4.3): each proposal located in a catchment and scored
//! by the access it gives ([`score`]), centers awarded under the organisation's rules
//! ([`award`], with the exact solver of the `optimal` rule in `matching`), and the
//! catchments left as gaps for a second call for applications.
//!
//! The stages read the catchments and the households' assignment of a finished
//! [`Plan`]; they return a [`SitePlan`] and never change the plan.

pub mod award;
mod matching;
pub mod score;

use crate::config::{AwardRule, PlanConfig};
use crate::error::{Error, Result};
use crate::model::{Applicants, Households};
use crate::plan::{Catchment, Plan, Planner, RegionPlan};

pub use award::{ApplicantResult, Award, AwardTotals, Outcome, ProposalStatus};
pub use score::{Access, Placement, ScoredProposal};

/// Applicants' proposals located and scored, and the centers awarded (SPEC §4.3).
#[derive(Debug, Clone, PartialEq)]
pub struct SitePlan {
    /// The applicants as read (ids, scores, eligibility, capacities, proposals).
    pub applicants: Applicants,
    /// Each applicant's position in the priority order (0 = first).
    pub priority: Vec<u32>,
    /// Every proposal, located and scored, in applicant order then preference order.
    pub proposals: Vec<ScoredProposal>,
    /// The award under the configured rule ([`PlanConfig::award_rule`]).
    pub award: Award,
    /// Both rules' headline figures, priority first, so planners see the price of each.
    pub comparison: Vec<(AwardRule, AwardTotals)>,
    /// Catchments left without an award (indices into [`Plan::catchments`]): gaps for a
    /// second call for applications.
    pub gaps: Vec<u32>,
}

impl SitePlan {
    /// Applicants eligible for an award.
    pub fn eligible_applicants(&self) -> usize {
        self.applicants.items.iter().filter(|a| a.eligible).count()
    }

    /// Proposed sites outside every catchment (outside the plan area).
    pub fn proposals_outside(&self) -> usize {
        self.proposals
            .iter()
            .filter(|s| s.catchment().is_none())
            .count()
    }

    /// Catchments awarded a center under the rule used (indices into [`Plan::catchments`]).
    pub fn awarded_catchments(&self) -> impl Iterator<Item = u32> + '_ {
        (0u32..)
            .zip(&self.award.catchment_site)
            .filter(|(_, site)| site.is_some())
            .map(|(c, _)| c)
    }
}

impl Planner {
    /// Locates and scores every proposal of `applicants` in `plan` (made from `households`
    /// by this planner) and awards centers under the configured rule. Both rules are run so
    /// the plan can report their totals side by side. The plan itself is not changed.
    ///
    /// ```
    /// use siting::{Applicant, Applicants, Households, LonLat, PlanConfig, Planner, Proposal};
    /// let households = Households::from_points(
    ///     (0..900).map(|i| ("", 50.0 + (i % 30) as f64 * 0.001, 36.0 + (i / 30) as f64 * 0.001, 1)),
    /// );
    /// let planner = Planner::new(PlanConfig::default())?;
    /// let plan = planner.plan(&households)?;
    /// let site = plan.catchments[0].center; // propose the ideal center itself
    /// let applicants = Applicants {
    ///     items: vec![Applicant {
    ///         id: "A-1".into(), score: Some(80.0), eligible: true, max_centers: 1, line: 2,
    ///         proposals: vec![Proposal { preference: 1, position: site, line: 2 }],
    ///     }],
    ///     ignored_columns: vec![],
    ///     rejected: vec![],
    /// };
    /// let sites = planner.award_sites(&plan, &households, &applicants)?;
    /// assert_eq!(sites.award.catchment_site[0], Some(0));
    /// assert!(sites.award.applicants[0].reason.starts_with("awarded C-"));
    /// assert_eq!(sites.gaps.len(), plan.catchments.len() - 1);
    /// # Ok::<(), siting::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::PlanMismatch`] when `plan` was not made from `households`.
    pub fn award_sites(
        &self,
        plan: &Plan,
        households: &Households,
        applicants: &Applicants,
    ) -> Result<SitePlan> {
        if plan.assignment.len() != households.len() {
            return Err(Error::PlanMismatch {
                planned: plan.assignment.len(),
                given: households.len(),
            });
        }
        let served: Vec<bool> = plan.replan.as_ref().map_or_else(Vec::new, |r| {
            r.catchments.iter().map(|c| c.building.is_some()).collect()
        });
        Ok(site_plan(
            self.config(),
            &plan.catchments,
            &plan.regions,
            &plan.assignment,
            households,
            applicants,
            &served,
        ))
    }
}

/// Scores the proposals against `catchments` (whose `regions` and household `assignment`
/// come from `households`), runs both award rules, and keeps the configured one.
fn site_plan(
    config: &PlanConfig,
    catchments: &[Catchment],
    regions: &[RegionPlan],
    assignment: &[u32],
    households: &Households,
    applicants: &Applicants,
    served: &[bool],
) -> SitePlan {
    let priority = award::priority_positions(applicants);
    let proposals = score::score_proposals(
        catchments, regions, assignment, households, applicants, &priority, config,
    );
    let mut awards: Vec<Award> = [AwardRule::Priority, AwardRule::Optimal]
        .into_iter()
        .map(|rule| {
            award::award(
                catchments, applicants, &proposals, &priority, rule, config, served,
            )
        })
        .collect();
    let comparison = awards.iter().map(|a| (a.rule, a.totals)).collect();
    let chosen = match config.award_rule {
        AwardRule::Priority => awards.swap_remove(0),
        AwardRule::Optimal => awards.swap_remove(1),
    };
    let gaps = (0..catchments.len() as u32)
        .filter(|&c| chosen.catchment_site[c as usize].is_none())
        .filter(|&c| served.get(c as usize) != Some(&true))
        .collect();
    SitePlan {
        applicants: applicants.clone(),
        priority,
        proposals,
        award: chosen,
        comparison,
        gaps,
    }
}

impl crate::network::Previous {
    /// The network `plan` (made from `households`, with `sites` awarded if any) leaves
    /// behind, for [`Planner::replan`]: each catchment a center with its id, open at its
    /// existing building or awarded site, otherwise vacant at its ideal center; each
    /// household assigned to its catchment.
    pub fn from_plan(plan: &Plan, households: &Households, sites: Option<&SitePlan>) -> Self {
        use crate::network::{CenterStatus, ExistingCenter, Previous};
        let mut previous = Previous::new("plan in memory");
        previous.region_columns = Some(plan.region_columns.clone());
        previous.sizing = Some(crate::network::Sizing::of(&plan.config));
        for (c, catchment) in plan.catchments.iter().enumerate() {
            let building = plan
                .replan
                .as_ref()
                .and_then(|r| r.catchments.get(c)?.building);
            let site =
                sites.and_then(|s| Some(s.proposals[(*s.award.catchment_site.get(c)?)?].position));
            let (position, status) = match building.or(site) {
                Some(at) => (at, CenterStatus::Open),
                None => (catchment.center, CenterStatus::Vacant),
            };
            previous.centers.push(ExistingCenter {
                id: catchment.id.clone(),
                position,
                status,
                region: Some(plan.regions[catchment.region as usize].name.clone()),
                line: c as u64 + 1,
                generator: Some(catchment.generator),
            });
        }
        for (h, &c) in households.items.iter().zip(&plan.assignment) {
            previous.assign(h.id.clone(), c);
        }
        previous
    }
}
