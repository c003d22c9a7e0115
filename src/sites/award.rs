//! Awarding centers to applicants, and the reason for every outcome (SPEC §4.3).
//!
//! Constraints under both rules: at most one center per catchment, at most
//! `max_centers` per applicant, never an ineligible applicant, and only proposals located in
//! a catchment whose efficiency is at least [`PlanConfig::min_efficiency`] ("acceptable").
//!
//! **Priority order.** Applicants in descending `score`; applicants without a score come after
//! every scored applicant; ties are broken by `applicant_id` in ascending byte order, so the
//! order never depends on the order of rows in the file.
//!
//! - [`AwardRule::Priority`] (serial dictatorship): in priority order, each applicant takes
//!   their most-preferred acceptable proposal whose catchment is still open, then (if
//!   `max_centers` > 1) the next such proposal, until they reach `max_centers` or run out.
//!   When every catchment ranks applicants by the same score this equals deferred
//!   acceptance.
//! - [`AwardRule::Optimal`]: the awards that maximise the total access
//!   Σ households × efficiency over awarded catchments, with the applicants' priority as a
//!   strictly secondary term (the sum of `n − position` over awarded applicants). Solved
//!   exactly as a min-cost flow (successive shortest paths with Dijkstra and potentials) on
//!   the sparse applicant–catchment graph, one connected component at a time. Costs are
//!   integers (access in millionths of a household), so the result is exact and
//!   deterministic.

use crate::lang::{Args, Lang};
use rayon::prelude::*;

use crate::config::{AwardRule, PlanConfig};
use crate::model::Applicants;
use crate::plan::Catchment;
use crate::sites::matching::{Arc, components, max_weight_b_matching};
use crate::sites::score::ScoredProposal;

/// What happened to an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Awarded at least one center.
    Awarded,
    /// Eligible, but no center awarded.
    NotAwarded,
    /// Found ineligible after vetting: reported, never awarded.
    Ineligible,
}

impl Outcome {
    /// The outcome as written in the outputs (`awarded`, `not_awarded`, `ineligible`).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Awarded => "awarded",
            Outcome::NotAwarded => "not_awarded",
            Outcome::Ineligible => "ineligible",
        }
    }
}

/// What happened to one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// The applicant was awarded this site.
    Awarded,
    /// The site is outside the plan area.
    OutsidePlanArea,
    /// The site's efficiency is below the floor.
    BelowMinEfficiency,
    /// The catchment went to another applicant (index into [`Applicants::items`]).
    CatchmentTaken {
        /// The applicant who got the catchment.
        by: u32,
    },
    /// The applicant was already awarded this catchment through another proposal.
    SameCatchment,
    /// Priority rule: the applicant already had `max_centers` centers.
    NotNeeded,
    /// Optimal rule: acceptable and open, but the optimum uses the applicant's capacity
    /// elsewhere.
    NotChosen,
    /// The applicant is ineligible.
    Ineligible,
    /// Re-plans: the site lies in a catchment an open center serves already.
    Served,
}

impl ProposalStatus {
    /// The status as written to `proposals.geojson`.
    pub fn name(self) -> &'static str {
        match self {
            ProposalStatus::Awarded => "awarded",
            ProposalStatus::OutsidePlanArea => "outside_plan_area",
            ProposalStatus::BelowMinEfficiency => "below_min_efficiency",
            ProposalStatus::CatchmentTaken { .. } => "catchment_taken",
            ProposalStatus::SameCatchment => "same_catchment",
            ProposalStatus::NotNeeded => "not_needed",
            ProposalStatus::NotChosen => "not_chosen",
            ProposalStatus::Ineligible => "ineligible",
            ProposalStatus::Served => "served_already",
        }
    }
}

/// One applicant's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicantResult {
    /// Awarded, not awarded or ineligible.
    pub outcome: Outcome,
    /// Awarded proposals (indices into the scored proposals), in preference order.
    pub awarded: Vec<usize>,
    /// Why, in words a person can read.
    pub reason: String,
}

/// Headline figures of one award rule, so planners can compare the rules.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct AwardTotals {
    /// Catchments with an awarded center.
    pub catchments_awarded: usize,
    /// Applicants awarded at least one center.
    pub applicants_awarded: usize,
    /// Households in catchments with an awarded center.
    pub households_served: u64,
    /// Σ households × efficiency over awarded catchments (the quantity `optimal` maximises).
    pub access: f64,
    /// Mean efficiency of the awarded sites (0 when none).
    pub mean_efficiency: f64,
}

/// The result of one award rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    /// The rule applied.
    pub rule: AwardRule,
    /// Per catchment: the awarded proposal (index into the scored proposals), if any.
    pub catchment_site: Vec<Option<usize>>,
    /// Per scored proposal: what happened to it.
    pub proposal_status: Vec<ProposalStatus>,
    /// Per applicant, in [`Applicants::items`] order.
    pub applicants: Vec<ApplicantResult>,
    /// Headline figures.
    pub totals: AwardTotals,
}

/// Each applicant's position in the priority order (0 = first); see the module docs.
pub fn priority_positions(applicants: &Applicants) -> Vec<u32> {
    let mut order: Vec<usize> = (0..applicants.items.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&applicants.items[a], &applicants.items[b]);
        match (x.score, y.score) {
            (Some(s), Some(t)) => t.total_cmp(&s),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| x.id.as_bytes().cmp(y.id.as_bytes()))
        .then(x.line.cmp(&y.line))
    });
    let mut position = vec![0u32; order.len()];
    for (p, &a) in order.iter().enumerate() {
        position[a] = p as u32;
    }
    position
}

/// Shared lookups for both rules.
struct Context<'a> {
    catchments: &'a [Catchment],
    applicants: &'a Applicants,
    scored: &'a [ScoredProposal],
    /// First scored proposal of each applicant (scored proposals are in applicant order).
    first: Vec<usize>,
    /// Priority position of each applicant.
    position: &'a [u32],
    min_efficiency: f64,
    /// Re-plans: catchments an open center serves (never awarded); empty otherwise.
    served: &'a [bool],
    /// The language of the reasons.
    lang: Lang,
}

impl<'a> Context<'a> {
    fn new(
        catchments: &'a [Catchment],
        applicants: &'a Applicants,
        scored: &'a [ScoredProposal],
        position: &'a [u32],
        config: &PlanConfig,
        served: &'a [bool],
    ) -> Self {
        let mut first = Vec::with_capacity(applicants.items.len() + 1);
        let mut at = 0;
        for a in &applicants.items {
            first.push(at);
            at += a.proposals.len();
        }
        first.push(at);
        Context {
            catchments,
            applicants,
            scored,
            first,
            position,
            min_efficiency: config.min_efficiency,
            served,
            lang: config.lang,
        }
    }

    fn proposals_of(&self, a: usize) -> std::ops::Range<usize> {
        self.first[a]..self.first[a + 1]
    }

    /// The status of a proposal that fails on its own merits, if it does.
    fn unacceptable(&self, i: usize) -> Option<ProposalStatus> {
        let s = &self.scored[i];
        if !self.applicants.items[s.applicant as usize].eligible {
            return Some(ProposalStatus::Ineligible);
        }
        if s.catchment()
            .is_some_and(|c| self.served.get(c as usize) == Some(&true))
        {
            return Some(ProposalStatus::Served);
        }
        match s.efficiency() {
            None => Some(ProposalStatus::OutsidePlanArea),
            Some(e) if e < self.min_efficiency => Some(ProposalStatus::BelowMinEfficiency),
            Some(_) => None,
        }
    }

    fn in_priority_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.applicants.items.len()).collect();
        order.sort_by_key(|&a| self.position[a]);
        order
    }

    fn finish(
        &self,
        rule: AwardRule,
        catchment_site: Vec<Option<usize>>,
        status: Vec<ProposalStatus>,
    ) -> Award {
        let applicants: Vec<ApplicantResult> = (0..self.applicants.items.len())
            .map(|a| self.explain(a, rule, &status))
            .collect();
        let mut totals = AwardTotals {
            applicants_awarded: applicants
                .iter()
                .filter(|r| r.outcome == Outcome::Awarded)
                .count(),
            ..AwardTotals::default()
        };
        let mut efficiency_sum = 0.0;
        for (c, site) in catchment_site.iter().enumerate() {
            if let Some(i) = *site {
                let e = self.scored[i].efficiency().unwrap_or(0.0);
                let h = self.catchments[c].households;
                totals.catchments_awarded += 1;
                totals.households_served += h;
                totals.access += h as f64 * e;
                efficiency_sum += e;
            }
        }
        if totals.catchments_awarded > 0 {
            totals.mean_efficiency = efficiency_sum / totals.catchments_awarded as f64;
        }
        Award {
            rule,
            catchment_site,
            proposal_status: status,
            applicants,
            totals,
        }
    }

    fn catchment_id(&self, i: usize) -> &str {
        self.scored[i]
            .catchment()
            .map_or("", |c| self.catchments[c as usize].id.as_str())
    }

    /// Why applicant `a`'s proposal `i` was not used, as a phrase following
    /// "preference N"; proposals with equal phrases are grouped and their details listed.
    fn phrase(
        &self,
        i: usize,
        rule: AwardRule,
        status: ProposalStatus,
    ) -> (String, Option<String>) {
        let s = &self.scored[i];
        let me = &self.applicants.items[s.applicant as usize];
        let lang = self.lang;
        let cid = || Args::new().text("catchment", self.catchment_id(i).to_string());
        let number = |x: f64| lang.digits(&trim_number(x));
        match status {
            ProposalStatus::OutsidePlanArea => (lang.tr("reason-outside-plan-area"), None),
            ProposalStatus::BelowMinEfficiency => (
                lang.format(
                    "reason-below-floor",
                    &Args::new().text("floor", number(self.min_efficiency)),
                ),
                s.efficiency()
                    .map(|e| lang.digits(&below(e, self.min_efficiency))),
            ),
            ProposalStatus::CatchmentTaken { by } => {
                let other = &self.applicants.items[by as usize];
                let why = match rule {
                    AwardRule::Priority => match (other.score, me.score) {
                        (Some(x), Some(y)) if x > y => lang.format(
                            "reason-score-higher",
                            &Args::new()
                                .text("theirs", number(x))
                                .text("mine", number(y)),
                        ),
                        (Some(x), Some(_)) => lang.format(
                            "reason-equal-score",
                            &Args::new()
                                .text("score", number(x))
                                .text("other", other.id.to_string()),
                        ),
                        (Some(x), None) => {
                            lang.format("reason-score-none", &Args::new().text("score", number(x)))
                        }
                        _ => lang.tr("reason-no-scores"),
                    },
                    AwardRule::Optimal => {
                        let theirs = self.awarded_efficiency(by as usize, s.catchment());
                        let mine = s.efficiency().unwrap_or(0.0);
                        let args = Args::new()
                            .text("theirs", lang.decimal(theirs, 2))
                            .text("mine", lang.decimal(mine, 2));
                        if theirs > mine {
                            lang.format("reason-more-access", &args)
                        } else {
                            lang.format("reason-total-access", &args)
                        }
                    }
                };
                let args = cid().text("other", other.id.to_string()).text("why", why);
                (lang.format("reason-taken", &args), None)
            }
            ProposalStatus::SameCatchment => (lang.format("reason-same-catchment", &cid()), None),
            ProposalStatus::NotNeeded => (
                lang.format(
                    "reason-not-needed",
                    &cid().count("limit", u64::from(me.max_centers)),
                ),
                None,
            ),
            ProposalStatus::NotChosen => (
                lang.format(
                    "reason-not-chosen",
                    &cid().count("limit", u64::from(me.max_centers)),
                ),
                None,
            ),
            ProposalStatus::Served => (lang.format("reason-served", &cid()), None),
            ProposalStatus::Ineligible | ProposalStatus::Awarded => (String::new(), None),
        }
    }

    /// Efficiency of the site awarded to applicant `b` in catchment `c`.
    fn awarded_efficiency(&self, b: usize, c: Option<u32>) -> f64 {
        self.proposals_of(b)
            .filter(|&j| self.scored[j].catchment() == c)
            .filter_map(|j| self.scored[j].efficiency())
            .fold(0.0, f64::max)
    }

    fn explain(&self, a: usize, rule: AwardRule, status: &[ProposalStatus]) -> ApplicantResult {
        let app = &self.applicants.items[a];
        let range = self.proposals_of(a);
        if !app.eligible {
            return ApplicantResult {
                outcome: Outcome::Ineligible,
                awarded: Vec::new(),
                reason: self.lang.tr("reason-ineligible"),
            };
        }
        if range.is_empty() {
            return ApplicantResult {
                outcome: Outcome::NotAwarded,
                awarded: Vec::new(),
                reason: self.lang.tr("reason-no-sites"),
            };
        }
        let awarded: Vec<usize> = range
            .clone()
            .filter(|&i| status[i] == ProposalStatus::Awarded)
            .collect();
        // Explain every preference up to the last one used (all of them when none was).
        let last = awarded.last().copied().unwrap_or(range.end - 1);
        let explained = self.explain_preferences(range.start, last, rule, status);
        let mut reason = self.reason_start(&awarded, !explained.is_empty());
        reason.push_str(&explained.join(clause_separator(self.lang)));
        ApplicantResult {
            outcome: if awarded.is_empty() {
                Outcome::NotAwarded
            } else {
                Outcome::Awarded
            },
            awarded,
            reason,
        }
    }

    /// One phrase per run of proposals `first..=last` (the awarded ones skipped) that are
    /// explained alike: "preferences 1–2 (...) went to ...".
    fn explain_preferences(
        &self,
        first: usize,
        last: usize,
        rule: AwardRule,
        status: &[ProposalStatus],
    ) -> Vec<String> {
        let mut groups: Vec<(Vec<u8>, String, Vec<String>)> = Vec::new();
        for (i, &st) in status.iter().enumerate().take(last + 1).skip(first) {
            if st == ProposalStatus::Awarded {
                continue;
            }
            let (phrase, detail) = self.phrase(i, rule, st);
            let pref = self.scored[i].preference;
            match groups.last_mut() {
                Some((prefs, p, details)) if *p == phrase => {
                    prefs.push(pref);
                    details.extend(detail);
                }
                _ => groups.push((vec![pref], phrase, detail.into_iter().collect())),
            }
        }
        groups
            .iter()
            .map(|(prefs, phrase, details)| {
                let mut s = format!("{} {phrase}", preferences(self.lang, prefs));
                if !details.is_empty() {
                    s.push_str(&format!(" ({})", self.lang.list(details)));
                }
                s
            })
            .collect()
    }

    /// The reason's opening: "not awarded: ", or the awarded catchments (followed by "; "
    /// when more is explained).
    fn reason_start(&self, awarded: &[usize], more: bool) -> String {
        let lang = self.lang;
        if awarded.is_empty() {
            return format!("{}: ", lang.tr("reason-not-awarded"));
        }
        let won: Vec<String> = awarded
            .iter()
            .map(|&i| {
                let args = Args::new()
                    .text("catchment", self.catchment_id(i).to_string())
                    .text(
                        "preference",
                        lang.digits(&self.scored[i].preference.to_string()),
                    );
                lang.format("reason-awarded-one", &args)
            })
            .collect();
        let and = format!(" {} ", lang.tr("reason-and"));
        let args = Args::new().text("catchments", won.join(&and));
        let mut s = lang.format("reason-awarded", &args);
        if more {
            s.push_str(clause_separator(lang));
        }
        s
    }
}

/// "preference 2", "preferences 1–3", "preferences 1, 4".
fn preferences(lang: Lang, prefs: &[u8]) -> String {
    let digits = |p: u8| lang.digits(&p.to_string());
    let list = match prefs {
        [one] => {
            let args = Args::new().text("preference", digits(*one));
            return lang.format("reason-preference", &args);
        }
        _ if prefs.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("{}–{}", digits(prefs[0]), digits(prefs[prefs.len() - 1]))
        }
        _ => lang.list(&prefs.iter().map(|&p| digits(p)).collect::<Vec<_>>()),
    };
    lang.format("reason-preferences", &Args::new().text("preferences", list))
}

/// What separates the clauses of a reason: `; ` (Persian `؛ `).
fn clause_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "; ",
        Lang::Fa => "؛ ",
    }
}

/// `e` with 2 decimals, or more when 2 would round it up to the floor it is below
/// (0.595 against 0.6 reads "0.595", not "0.60").
fn below(e: f64, floor: f64) -> String {
    (2..=6)
        .map(|d| format!("{e:.d$}"))
        .find(|s| s.parse::<f64>().is_ok_and(|v| v < floor))
        .unwrap_or_else(|| format!("{e}"))
}

/// A number without trailing zeros: 88, 87.5, 0.6.
fn trim_number(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Applies `rule` to the scored proposals. `position` is each applicant's priority position
/// ([`priority_positions`]); in a re-plan, `served` marks the catchments an open center
/// serves, which are not awarded (empty otherwise).
pub fn award(
    catchments: &[Catchment],
    applicants: &Applicants,
    scored: &[ScoredProposal],
    position: &[u32],
    rule: AwardRule,
    config: &PlanConfig,
    served: &[bool],
) -> Award {
    let cx = Context::new(catchments, applicants, scored, position, config, served);
    match rule {
        AwardRule::Priority => priority(&cx),
        AwardRule::Optimal => optimal(&cx),
    }
}

fn priority(cx: &Context<'_>) -> Award {
    let k = cx.catchments.len();
    let mut holder: Vec<Option<u32>> = vec![None; k];
    let mut site: Vec<Option<usize>> = vec![None; k];
    let mut status = vec![ProposalStatus::Ineligible; cx.scored.len()];
    for a in cx.in_priority_order() {
        let app = &cx.applicants.items[a];
        let mut count = 0;
        for i in cx.proposals_of(a) {
            status[i] = if let Some(s) = cx.unacceptable(i) {
                s
            } else if count >= app.max_centers {
                ProposalStatus::NotNeeded
            } else {
                let c = cx.scored[i].catchment().unwrap_or(0) as usize;
                match holder[c] {
                    Some(b) if b as usize == a => ProposalStatus::SameCatchment,
                    Some(b) => ProposalStatus::CatchmentTaken { by: b },
                    None => {
                        holder[c] = Some(a as u32);
                        site[c] = Some(i);
                        count += 1;
                        ProposalStatus::Awarded
                    }
                }
            };
        }
    }
    cx.finish(AwardRule::Priority, site, status)
}

fn optimal(cx: &Context<'_>) -> Award {
    let k = cx.catchments.len();
    let n = cx.applicants.items.len();
    // Access in millionths of a household; priority as a strictly smaller second term.
    let big = (n as i128 + 1) * (k as i128 + 1);
    let mut arcs: Vec<Arc> = Vec::new();
    for a in 0..n {
        let mut best: Vec<(usize, usize)> = Vec::new(); // (catchment, proposal)
        for i in cx.proposals_of(a) {
            if cx.unacceptable(i).is_some() {
                continue;
            }
            let c = cx.scored[i].catchment().unwrap_or(0) as usize;
            let e = cx.scored[i].efficiency().unwrap_or(0.0);
            match best.iter_mut().find(|(bc, _)| *bc == c) {
                Some(slot) => {
                    if e > cx.scored[slot.1].efficiency().unwrap_or(0.0) {
                        slot.1 = i;
                    }
                }
                None => best.push((c, i)),
            }
        }
        for (c, i) in best {
            let e = cx.scored[i].efficiency().unwrap_or(0.0);
            let access = (cx.catchments[c].households as f64 * e * 1e6).round() as i128;
            let gain = access * big + (n as i128 - i128::from(cx.position[a]));
            arcs.push(Arc {
                applicant: a,
                catchment: c,
                proposal: i,
                gain,
            });
        }
    }
    let components = components(&arcs, n, k);
    let chosen: Vec<Arc> = components
        .par_iter()
        .flat_map_iter(|comp| {
            let caps: Vec<u32> = comp
                .iter()
                .map(|a| cx.applicants.items[a.applicant].max_centers)
                .collect();
            max_weight_b_matching(comp, &caps)
        })
        .collect();

    let mut site: Vec<Option<usize>> = vec![None; k];
    let mut holder: Vec<Option<u32>> = vec![None; k];
    let mut won: Vec<u32> = vec![0; n];
    for arc in &chosen {
        site[arc.catchment] = Some(arc.proposal);
        holder[arc.catchment] = Some(arc.applicant as u32);
        won[arc.applicant] += 1;
    }
    let mut status = vec![ProposalStatus::Ineligible; cx.scored.len()];
    for (a, &count) in won.iter().enumerate() {
        for i in cx.proposals_of(a) {
            status[i] = if let Some(s) = cx.unacceptable(i) {
                s
            } else {
                let c = cx.scored[i].catchment().unwrap_or(0) as usize;
                match holder[c] {
                    Some(b) if b as usize == a && site[c] == Some(i) => ProposalStatus::Awarded,
                    Some(b) if b as usize == a => ProposalStatus::SameCatchment,
                    Some(b) => ProposalStatus::CatchmentTaken { by: b },
                    None if count >= cx.applicants.items[a].max_centers => {
                        ProposalStatus::NotChosen
                    }
                    // Cannot happen at an optimum (the arc would add access); kept total.
                    None => ProposalStatus::NotChosen,
                }
            };
        }
    }
    cx.finish(AwardRule::Optimal, site, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_lists() {
        assert_eq!(preferences(Lang::En, &[2]), "preference 2");
        assert_eq!(preferences(Lang::En, &[1, 2, 3]), "preferences 1–3");
        assert_eq!(preferences(Lang::En, &[1, 4]), "preferences 1, 4");
        assert_eq!(
            preferences(Lang::Fa, &[1, 2, 3]),
            "اولویت‌های \u{2068}۱–۳\u{2069}"
        );
        assert_eq!(trim_number(88.0), "88");
        assert_eq!(trim_number(0.6), "0.6");
        assert_eq!(trim_number(87.25), "87.25");
        assert_eq!(below(0.5951, 0.6), "0.595");
        assert_eq!(below(0.41, 0.6), "0.41");
    }
}
