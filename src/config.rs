//! Planning parameters with documented defaults, shared by the CLI and the library.

use crate::error::{ConfigError, Error, Result};
use crate::lang::Lang;

/// How a plan is made. Build it with [`PlanConfig::default`] and the by-value setters;
/// [`crate::Planner::new`] validates it.
///
/// ```
/// use siting::PlanConfig;
/// let config = PlanConfig::default().target_size(450).size_tolerance(0.1).seed(7);
/// assert_eq!(config.target_size, 450);
/// config.validate()?;
/// # Ok::<(), siting::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct PlanConfig {
    /// Households per catchment aimed at. Default: 450 households.
    pub target_size: u32,
    /// Allowed relative deviation from the region's mean catchment size. Default: 0.1.
    pub size_tolerance: f64,
    /// Fixed total number of catchments (shared across regions in proportion to their
    /// households) instead of deriving it from `target_size`. Default: none.
    pub catchments: Option<usize>,
    /// Explicit lower bound on catchment size, overriding the tolerance. Default: none.
    pub min_size: Option<u32>,
    /// Explicit upper bound on catchment size, overriding the tolerance. Default: none.
    pub max_size: Option<u32>,
    /// Seed for the randomised parts (initial partition orientation). Default: 0.
    pub seed: u64,
    /// Maximum balanced k-means iterations per region. Default: 100.
    pub max_iterations: usize,
    /// Independent starts per region; the plan with the lowest squared-distance objective
    /// wins. Default: 4.
    pub restarts: usize,
    /// Margin around a region's households that bounds its catchment polygons, in metres.
    /// Default: 500 m.
    pub envelope_buffer_m: f64,
    /// A proposal outside every catchment polygon but within this distance of one is
    /// attached to the nearest; farther away it is "outside the plan area". Default: 1000 m.
    pub site_reach_m: f64,
    /// Smallest efficiency (ideal mean distance / the site's mean distance) a proposal needs
    /// to be awarded. Default: 0.6.
    pub min_efficiency: f64,
    /// How centers are awarded to applicants. Default: [`AwardRule::Priority`].
    pub award_rule: AwardRule,
    /// Radii for the "share of households within r of the site" access figures, in metres.
    /// Default: 1000 m and 3000 m.
    pub access_radii_m: Vec<f64>,
    /// Re-plans only ([`crate::Planner::replan`]): what moving a household that stayed
    /// costs, as a multiple of the region's mean squared distance from a household to its
    /// previous catchment's centroid. A household changes catchment only when bounds or new
    /// catchments force it, or when that shortens its squared distance by more than this;
    /// 0 plans as if from scratch around the kept centers. With [`Objective::Distance`] the
    /// re-plan is in the travel objective's own terms: the price is this multiple of the
    /// mean distance, and a household moves when that shortens its distance to the
    /// catchment's geometric median by more than the price. New households pay it too for
    /// leaving the catchment whose area they appeared in, so that new catchments are carved
    /// whole from their neighbours. Default: 2.0 (on generated growth of 10 %, about 7 % of
    /// the households that stayed move, most of them into the new catchments; see
    /// `benches/README.md`).
    #[serde(default = "default_stickiness")]
    pub stickiness: f64,
    /// The language of everything a person reads in the plan: the reasons in
    /// `applicants.csv`, warnings, `map.svg`, `report.html` and the style legends
    /// ([`crate::lang`]). Machine fields never change. Default: [`Lang::En`].
    #[serde(default)]
    pub lang: Lang,
    /// What compact means: [`Objective::Squared`] (squared distance to the catchment's
    /// centroid, power-diagram catchments) or [`Objective::Distance`] (travel distance to
    /// its geometric median, additively weighted catchments). Default:
    /// [`Objective::Squared`].
    #[serde(default)]
    pub objective: Objective,
    /// With [`Objective::Distance`]: the work budget of the improvement moves that re-seed
    /// neighbourhoods of catchments and move centers across a region, as a multiple of
    /// the default (`n/4 + 2·10⁵·min(1, 2,000/n)` households × rounds for a region of `n`
    /// points: about a tenth of a second on a small region, a few per cent of the plan's
    /// time on a large one, where the moves seldom pay); 0 turns them off. The moves are
    /// deterministic whatever the value. Default: 1.0.
    #[serde(default = "default_effort")]
    pub effort: f64,
}

/// What the catchments minimise under their size bounds (see [`PlanConfig::objective`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// The households' squared distance to their catchment's centroid (the k-means
    /// objective): catchments are power-diagram cells with straight borders, and very long
    /// trips cost most.
    #[default]
    Squared,
    /// The households' travel distance to their catchment's geometric median (the
    /// capacitated p-median objective): a shorter mean trip. The search refines the
    /// squared plan under additively weighted borders, and the catchments are drawn as
    /// that diagram: hyperbolic borders, drawn as polylines within 5 cm of the curve (a region whose cells the clipping cannot follow is drawn as the power
    /// diagram fitted to its catchments).
    Distance,
}

impl Objective {
    /// The objective's name as used on the command line and in `summary.json`.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Squared => "squared",
            Objective::Distance => "distance",
        }
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Objective {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "squared" => Ok(Objective::Squared),
            "distance" => Ok(Objective::Distance),
            other => Err(Error::InvalidConfig(ConfigError::Objective {
                name: other.to_string(),
            })),
        }
    }
}

fn default_stickiness() -> f64 {
    2.0
}

/// The largest [`PlanConfig::effort`]: a thousand times the default budget is minutes on
/// a national region.
const MAX_EFFORT: f64 = 1000.0;

fn default_effort() -> f64 {
    1.0
}

/// How centers are awarded to applicants (see [`crate::Planner::award_sites`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwardRule {
    /// Applicants in descending priority score each take their most-preferred acceptable
    /// proposal whose catchment is still open (serial dictatorship).
    #[default]
    Priority,
    /// The awards that maximise the total access delivered (households × efficiency over
    /// awarded catchments), with priority scores breaking ties.
    Optimal,
}

impl AwardRule {
    /// The rule's name as used on the command line and in `summary.json`.
    pub fn name(self) -> &'static str {
        match self {
            AwardRule::Priority => "priority",
            AwardRule::Optimal => "optimal",
        }
    }
}

impl std::fmt::Display for AwardRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for AwardRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "priority" => Ok(AwardRule::Priority),
            "optimal" => Ok(AwardRule::Optimal),
            other => Err(Error::InvalidConfig(ConfigError::AwardRule {
                name: other.to_string(),
            })),
        }
    }
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            target_size: 450,
            size_tolerance: 0.1,
            catchments: None,
            min_size: None,
            max_size: None,
            seed: 0,
            max_iterations: 100,
            restarts: 4,
            envelope_buffer_m: 500.0,
            site_reach_m: 1000.0,
            min_efficiency: 0.6,
            award_rule: AwardRule::Priority,
            access_radii_m: vec![1000.0, 3000.0],
            stickiness: default_stickiness(),
            lang: Lang::En,
            objective: Objective::Squared,
            effort: default_effort(),
        }
    }
}

impl PlanConfig {
    /// Sets [`PlanConfig::target_size`] (households). Default: 450.
    pub fn target_size(mut self, households: u32) -> Self {
        self.target_size = households;
        self
    }
    /// Sets [`PlanConfig::size_tolerance`] (fraction, e.g. 0.1 for ±10 %). Default: 0.1.
    pub fn size_tolerance(mut self, tolerance: f64) -> Self {
        self.size_tolerance = tolerance;
        self
    }
    /// Sets a fixed total number of catchments. Default: derived from the target size.
    pub fn catchments(mut self, count: usize) -> Self {
        self.catchments = Some(count);
        self
    }
    /// Sets explicit size bounds in households. Default: from the tolerance.
    pub fn size_bounds(mut self, min: u32, max: u32) -> Self {
        self.min_size = Some(min);
        self.max_size = Some(max);
        self
    }
    /// Sets the random seed. Default: 0.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the iteration cap per region. Default: 100.
    pub fn max_iterations(mut self, iterations: usize) -> Self {
        self.max_iterations = iterations;
        self
    }
    /// Sets the number of independent starts per region. Default: 4.
    pub fn restarts(mut self, restarts: usize) -> Self {
        self.restarts = restarts;
        self
    }
    /// Sets the polygon envelope margin in metres. Default: 500 m.
    pub fn envelope_buffer_m(mut self, metres: f64) -> Self {
        self.envelope_buffer_m = metres;
        self
    }

    /// Sets [`PlanConfig::site_reach_m`]. Default: 1000 m.
    pub fn site_reach_m(mut self, metres: f64) -> Self {
        self.site_reach_m = metres;
        self
    }
    /// Sets [`PlanConfig::min_efficiency`]. Default: 0.6.
    pub fn min_efficiency(mut self, efficiency: f64) -> Self {
        self.min_efficiency = efficiency;
        self
    }
    /// Sets [`PlanConfig::award_rule`]. Default: [`AwardRule::Priority`].
    pub fn award_rule(mut self, rule: AwardRule) -> Self {
        self.award_rule = rule;
        self
    }
    /// Sets [`PlanConfig::access_radii_m`]. Default: 1000 m and 3000 m.
    pub fn access_radii_m(mut self, radii: Vec<f64>) -> Self {
        self.access_radii_m = radii;
        self
    }

    /// Sets [`PlanConfig::stickiness`] (re-plans only). Default: 2.0.
    pub fn stickiness(mut self, stickiness: f64) -> Self {
        self.stickiness = stickiness;
        self
    }

    /// Sets [`PlanConfig::objective`]. Default: [`Objective::Squared`].
    pub fn objective(mut self, objective: Objective) -> Self {
        self.objective = objective;
        self
    }

    /// Sets [`PlanConfig::effort`] (a multiple of the default work budget of the
    /// improvement moves; 0 turns them off). Default: 1.0.
    pub fn effort(mut self, effort: f64) -> Self {
        self.effort = effort;
        self
    }

    /// Sets [`PlanConfig::lang`]. Default: English.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Checks every parameter; an invalid config never reaches the algorithm.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the parameter and the allowed range.
    pub fn validate(&self) -> Result<()> {
        let bad = |e: ConfigError| Err(Error::InvalidConfig(e));
        if self.target_size == 0 {
            return bad(ConfigError::TargetSize);
        }
        if !(self.size_tolerance.is_finite() && (0.0..1.0).contains(&self.size_tolerance)) {
            return bad(ConfigError::Tolerance {
                value: self.size_tolerance,
            });
        }
        if self.catchments == Some(0) {
            return bad(ConfigError::Catchments);
        }
        match (self.min_size, self.max_size) {
            (Some(min), Some(max)) if min > max => {
                return bad(ConfigError::SizeBounds { min, max });
            }
            (_, Some(0)) => return bad(ConfigError::MaxSize),
            _ => {}
        }
        if self.max_iterations == 0 {
            return bad(ConfigError::MaxIterations);
        }
        if self.restarts == 0 {
            return bad(ConfigError::Restarts);
        }
        if !(self.envelope_buffer_m.is_finite() && self.envelope_buffer_m > 0.0) {
            return bad(ConfigError::EnvelopeBuffer {
                metres: self.envelope_buffer_m,
            });
        }
        if !(self.site_reach_m.is_finite() && self.site_reach_m >= 0.0) {
            return bad(ConfigError::SiteReach {
                metres: self.site_reach_m,
            });
        }
        if !(self.min_efficiency.is_finite() && (0.0..=1.0).contains(&self.min_efficiency)) {
            return bad(ConfigError::MinEfficiency {
                value: self.min_efficiency,
            });
        }
        if !(self.stickiness.is_finite() && self.stickiness >= 0.0) {
            return bad(ConfigError::Stickiness {
                value: self.stickiness,
            });
        }
        if !(self.effort.is_finite() && (0.0..=MAX_EFFORT).contains(&self.effort)) {
            return bad(ConfigError::Effort { value: self.effort });
        }
        if self.access_radii_m.is_empty()
            || self.access_radii_m.len() > 8
            || self
                .access_radii_m
                .iter()
                .any(|r| !(r.is_finite() && *r > 0.0))
        {
            return bad(ConfigError::AccessRadii {
                radii: self.access_radii_m.clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert!(PlanConfig::default().validate().is_ok());
    }

    #[test]
    fn rejects_bad_values() {
        use crate::error::ConfigError as C;
        let kind = |config: PlanConfig| match config.validate() {
            Err(Error::InvalidConfig(e)) => Some(e),
            _ => None,
        };
        let d = PlanConfig::default;
        assert_eq!(kind(d().target_size(0)), Some(C::TargetSize));
        assert!(
            matches!(kind(d().size_tolerance(-0.1)), Some(C::Tolerance { value }) if value == -0.1)
        );
        assert!(matches!(
            kind(d().size_tolerance(f64::NAN)),
            Some(C::Tolerance { .. })
        ));
        assert_eq!(
            kind(d().size_bounds(500, 400)),
            Some(C::SizeBounds { min: 500, max: 400 })
        );
        assert_eq!(kind(d().catchments(0)), Some(C::Catchments));
        assert_eq!(
            kind(d().min_efficiency(1.5)),
            Some(C::MinEfficiency { value: 1.5 })
        );
        assert_eq!(
            kind(d().site_reach_m(-1.0)),
            Some(C::SiteReach { metres: -1.0 })
        );
        assert_eq!(
            kind(d().access_radii_m(vec![])),
            Some(C::AccessRadii { radii: vec![] })
        );
        assert_eq!(
            "Optimal".parse::<AwardRule>().ok(),
            Some(AwardRule::Optimal)
        );
        assert!(matches!(
            "best".parse::<AwardRule>(),
            Err(Error::InvalidConfig(C::AwardRule { name })) if name == "best"
        ));
    }
}
