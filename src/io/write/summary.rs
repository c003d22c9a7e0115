//! `summary.json`: the plan's audit record (SPEC §5): version, parameters, seed, the
//! SHA-256 of every input, counts, metrics, the award totals of both rules, the gaps and
//! per-region diagnostics.

use std::io::Write;

use crate::config::AwardRule;
use crate::error::{Error, Result};
use crate::io::read::csv::InputDigest;
use crate::model::Households;
use crate::plan::Plan;
use crate::sites::{AwardTotals, ProposalStatus, SitePlan};

/// The audit record written as `summary.json`.
#[derive(Debug, serde::Serialize)]
struct Summary<'a> {
    tool: &'static str,
    version: &'static str,
    inputs: &'a [InputDigest],
    parameters: &'a serde_json::Value,
    seed: u64,
    counts: Counts,
    metrics: &'a crate::plan::Metrics,
    warnings: &'a [crate::plan::Warning],
    #[serde(skip_serializing_if = "Option::is_none")]
    sites: Option<SitesSummary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replan: Option<ReplanSummary<'a>>,
    regions: &'a [crate::plan::RegionPlan],
}

/// A re-plan's churn and changes (SPEC §8).
#[derive(Debug, serde::Serialize)]
struct ReplanSummary<'a> {
    previous: &'a str,
    stickiness: f64,
    churn: ChurnSummary<'a>,
    regions: Vec<ChurnSummary<'a>>,
    new_catchments: Vec<&'a str>,
    re_tender: Vec<&'a str>,
    closed: &'a [String],
    oversupply: &'a [crate::plan::Oversupply],
}

/// Churn figures with the moved share and the price of a move.
#[derive(Debug, serde::Serialize)]
struct ChurnSummary<'a> {
    #[serde(flatten)]
    churn: &'a crate::plan::Churn,
    moved_share: f64,
    /// The price of a move in a region, m² (squared objective).
    #[serde(skip_serializing_if = "Option::is_none")]
    move_price_m2: Option<f64>,
    /// The price of a move in a region, m (travel objective).
    #[serde(skip_serializing_if = "Option::is_none")]
    move_price_m: Option<f64>,
}

fn replan_summary(plan: &Plan) -> Option<ReplanSummary<'_>> {
    let r = plan.replan.as_ref()?;
    let ids = |change: crate::plan::Change| {
        plan.catchments
            .iter()
            .zip(&r.catchments)
            .filter(|(_, c)| c.change == change)
            .map(|(c, _)| c.id.as_str())
            .collect()
    };
    Some(ReplanSummary {
        previous: &r.source,
        stickiness: plan.config.stickiness,
        churn: ChurnSummary {
            churn: &r.total,
            moved_share: r.total.moved_share(),
            move_price_m2: None,
            move_price_m: None,
        },
        regions: r
            .regions
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let price = r.move_price_m2.get(i).copied();
                let travel = plan.config.objective == crate::config::Objective::Distance;
                ChurnSummary {
                    churn: c,
                    moved_share: c.moved_share(),
                    move_price_m2: price.filter(|_| !travel),
                    move_price_m: price.filter(|_| travel),
                }
            })
            .collect(),
        new_catchments: ids(crate::plan::Change::New),
        re_tender: ids(crate::plan::Change::ReTender),
        closed: &r.closed,
        oversupply: &r.oversupply,
    })
}

#[derive(Debug, serde::Serialize)]
struct SitesSummary<'a> {
    rows_rejected: usize,
    applicants: usize,
    eligible: usize,
    proposals: usize,
    proposals_outside_plan_area: usize,
    award_rule: AwardRule,
    awarded: &'a AwardTotals,
    rules: std::collections::BTreeMap<&'static str, &'a AwardTotals>,
    gaps: Vec<GapSummary<'a>>,
}

#[derive(Debug, serde::Serialize)]
struct GapSummary<'a> {
    catchment_id: &'a str,
    region: &'a str,
    households: u64,
    ideal_center_lon: f64,
    ideal_center_lat: f64,
    proposals: usize,
    acceptable_proposals: usize,
}

fn sites_summary<'a>(plan: &'a Plan, sites: &'a SitePlan) -> SitesSummary<'a> {
    let mut received = vec![(0usize, 0usize); plan.catchments.len()];
    for (s, status) in sites.proposals.iter().zip(&sites.award.proposal_status) {
        if let Some(c) = s.catchment() {
            received[c as usize].0 += 1;
            let acceptable = !matches!(
                status,
                ProposalStatus::BelowMinEfficiency | ProposalStatus::Ineligible
            );
            received[c as usize].1 += usize::from(acceptable);
        }
    }
    SitesSummary {
        rows_rejected: sites.applicants.rejected.len(),
        applicants: sites.applicants.len(),
        eligible: sites.eligible_applicants(),
        proposals: sites.proposals.len(),
        proposals_outside_plan_area: sites.proposals_outside(),
        award_rule: sites.award.rule,
        awarded: &sites.award.totals,
        rules: sites
            .comparison
            .iter()
            .map(|(rule, totals)| (rule.name(), totals))
            .collect(),
        gaps: sites
            .gaps
            .iter()
            .map(|&c| {
                let cat = &plan.catchments[c as usize];
                GapSummary {
                    catchment_id: &cat.id,
                    region: &plan.regions[cat.region as usize].name,
                    households: cat.households,
                    ideal_center_lon: cat.center.lon,
                    ideal_center_lat: cat.center.lat,
                    proposals: received[c as usize].0,
                    acceptable_proposals: received[c as usize].1,
                }
            })
            .collect(),
    }
}

#[derive(Debug, serde::Serialize)]
struct Counts {
    rows_read: usize,
    rows_rejected: usize,
    rows: usize,
    households: u64,
    regions: usize,
    catchments: usize,
}

/// What `summary.json` records besides the plan itself: the digests of the inputs and the
/// parameters that made the plan (any serialisable record, e.g. a [`crate::Job`]), so that
/// the plan can be audited and re-run.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// Digests of the inputs, households first.
    pub inputs: Vec<InputDigest>,
    /// The parameters, recorded as `parameters`.
    pub parameters: serde_json::Value,
}

impl Audit {
    /// An audit record of `inputs` and `parameters`.
    ///
    /// # Errors
    /// [`Error::Io`] when `parameters` cannot be serialised.
    pub fn new(inputs: Vec<InputDigest>, parameters: &impl serde::Serialize) -> Result<Self> {
        let parameters = serde_json::to_value(parameters)
            .map_err(|e| Error::io("recording", "the parameters", std::io::Error::other(e)))?;
        Ok(Audit { inputs, parameters })
    }
}

/// Writes `summary.json` for `plan` (with `sites` when applicants were given) made from
/// `households`, with the `audit` record.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_summary<W: Write>(
    plan: &Plan,
    sites: Option<&SitePlan>,
    households: &Households,
    audit: &Audit,
    out: W,
) -> Result<()> {
    let summary = summary_json(plan, sites, households, audit);
    let mut out = out;
    serde_json::to_writer_pretty(&mut out, &summary)
        .map_err(|e| Error::io("writing", "summary.json", std::io::Error::other(e)))?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("writing", "summary.json", e))
}

/// The content of `summary.json` as a JSON value (for `siting plan --json` and embedding).
pub fn summary_json(
    plan: &Plan,
    sites: Option<&SitePlan>,
    households: &Households,
    audit: &Audit,
) -> serde_json::Value {
    let rejected = &households.rejected;
    let summary = Summary {
        tool: "siting",
        version: env!("CARGO_PKG_VERSION"),
        inputs: &audit.inputs,
        parameters: &audit.parameters,
        seed: plan.config.seed,
        counts: Counts {
            rows_read: plan.metrics.rows + rejected.len(),
            rows_rejected: rejected.len(),
            rows: plan.metrics.rows,
            households: plan.metrics.households,
            regions: plan.regions.len(),
            catchments: plan.catchments.len(),
        },
        metrics: &plan.metrics,
        warnings: &plan.warnings,
        sites: sites.map(|s| sites_summary(plan, s)),
        replan: replan_summary(plan),
        regions: &plan.regions,
    };
    serde_json::to_value(&summary).unwrap_or(serde_json::Value::Null)
}
