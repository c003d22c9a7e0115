//! What every part of the page reads: the plan, its sites, the language, and each
//! catchment's site status worked out once.

use crate::io::write::summary::Audit;
use crate::lang::Lang;
use crate::model::LonLat;
use crate::plan::{Change, Plan};
use crate::sites::SitePlan;

/// A catchment's center as the report shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SiteStatus {
    /// A re-plan's open center, kept at its building.
    Existing,
    /// A site awarded to an applicant.
    Awarded,
    /// No center: a gap for a second call for applications.
    Gap,
    /// No applicants were given (and no open center): nothing to say.
    Unknown,
}

impl SiteStatus {
    /// The machine name, as `catchments.geojson`'s `status` writes it.
    pub(super) fn name(self) -> &'static str {
        match self {
            SiteStatus::Existing => "existing",
            SiteStatus::Awarded => "awarded",
            SiteStatus::Gap => "gap",
            SiteStatus::Unknown => "",
        }
    }
}

/// One catchment's center: its status, the applicant awarded and where the center is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CatchmentSite<'a> {
    pub(super) status: SiteStatus,
    pub(super) applicant: Option<&'a str>,
    /// The building (existing) or the awarded site.
    pub(super) at: Option<LonLat>,
    /// A re-plan's change, if any.
    pub(super) change: Option<Change>,
}

/// Everything the sections of the page are written from.
pub(super) struct Context<'a> {
    pub(super) plan: &'a Plan,
    pub(super) sites: Option<&'a SitePlan>,
    pub(super) audit: &'a Audit,
    pub(super) lang: Lang,
    /// The plan's date, as `YYYY-MM-DD`.
    pub(super) date: &'a str,
    /// The tile URL template of `--basemap`, if given.
    pub(super) basemap: Option<&'a str>,
    /// Per catchment, in plan order.
    pub(super) catchment_sites: Vec<CatchmentSite<'a>>,
}

impl<'a> Context<'a> {
    pub(super) fn new(
        plan: &'a Plan,
        sites: Option<&'a SitePlan>,
        audit: &'a Audit,
        date: &'a str,
        basemap: Option<&'a str>,
    ) -> Self {
        let gaps: Vec<bool> = match sites {
            Some(s) => {
                let mut g = vec![false; plan.catchments.len()];
                for &c in &s.gaps {
                    if let Some(slot) = g.get_mut(c as usize) {
                        *slot = true;
                    }
                }
                g
            }
            None => vec![false; plan.catchments.len()],
        };
        let catchment_sites = (0..plan.catchments.len())
            .map(|i| {
                let change = plan.replan.as_ref().and_then(|r| r.catchments.get(i));
                let awarded = sites.and_then(|s| {
                    let p = (*s.award.catchment_site.get(i)?)?;
                    let proposal = s.proposals.get(p)?;
                    let applicant = s.applicants.items.get(proposal.applicant as usize)?;
                    Some((proposal.position, applicant.id.as_str()))
                });
                let (status, applicant, at) = match (change.and_then(|c| c.building), awarded) {
                    (Some(b), _) => (SiteStatus::Existing, None, Some(b)),
                    (None, Some((at, id))) => (SiteStatus::Awarded, Some(id), Some(at)),
                    (None, None) if gaps[i] => (SiteStatus::Gap, None, None),
                    (None, None) => (SiteStatus::Unknown, None, None),
                };
                CatchmentSite {
                    status,
                    applicant,
                    at,
                    change: change.map(|c| c.change),
                }
            })
            .collect();
        Context {
            plan,
            sites,
            audit,
            lang: plan.config.lang,
            date,
            basemap,
            catchment_sites,
        }
    }

    /// A region's name as the page shows it ("whole file" for the unnamed region).
    pub(super) fn region_name(&self, region: u32) -> String {
        let name = self
            .plan
            .regions
            .get(region as usize)
            .map_or("", |r| &r.name);
        self.region_label(name)
    }

    /// A region's `name` as the page shows it ("whole file" for the unnamed region "").
    pub(super) fn region_label(&self, name: &str) -> String {
        if name.is_empty() {
            self.lang.tr("report-region-all")
        } else {
            name.to_string()
        }
    }

    /// True when the page has a site column: applicants were given, or a re-plan kept
    /// open centers.
    pub(super) fn has_site_status(&self) -> bool {
        self.sites.is_some() || self.plan.replan.is_some()
    }
}
