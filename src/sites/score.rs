//! Locating and scoring proposed sites (SPEC §4.3).
//!
//! Each proposal is located in the catchment whose polygon contains it, found with an
//! R-tree ([`rstar`]) over the polygons' bounding boxes and an exact point-in-polygon test.
//! A proposal outside every polygon but within [`PlanConfig::site_reach_m`] of one is
//! attached to the nearest; farther away it is outside the plan area.
//!
//! A located proposal is scored by the access it would give its catchment's households,
//! measured exactly over every household in the region's metric plane:
//! - the weighted mean distance from the households to the site;
//! - `efficiency` = the ideal center's mean distance / the site's mean distance, in (0, 1]
//!   (the ideal center is the geometric median, which minimises the mean distance);
//! - the share of households within each of [`PlanConfig::access_radii_m`] of the site.
//!
//! Proposals are then ranked within their catchment, best access first.

use geo::{Distance, Euclidean, Intersects};
use rayon::prelude::*;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::config::PlanConfig;
use crate::geometry::bbox;
use crate::model::{Applicants, Households, LonLat};
use crate::plan::{Catchment, RegionPlan};
use crate::projection::{AzimuthalEquidistant, EARTH_RADIUS_M, Projection};

/// Where a proposal lies relative to the plan's catchments.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// Inside the polygon of this catchment (index into [`crate::Plan::catchments`]).
    Inside(u32),
    /// Outside every polygon, attached to this catchment whose polygon is `distance_m` away
    /// (within the site reach).
    Near {
        /// Index into [`crate::Plan::catchments`].
        catchment: u32,
        /// Distance from the site to the polygon, m.
        distance_m: f64,
    },
    /// Farther than the site reach from every catchment.
    Outside,
}

impl Placement {
    /// The catchment the proposal belongs to, if any.
    pub fn catchment(self) -> Option<u32> {
        match self {
            Placement::Inside(c) | Placement::Near { catchment: c, .. } => Some(c),
            Placement::Outside => None,
        }
    }
}

/// The access a site gives its catchment's households.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Access {
    /// Weighted mean distance from the catchment's households to the site, m.
    pub mean_distance_m: f64,
    /// Ideal mean distance / `mean_distance_m`, in (0, 1]; 1 is as good as the ideal center.
    pub efficiency: f64,
    /// Share of the catchment's households within each access radius, in the order of
    /// [`PlanConfig::access_radii_m`].
    pub within_share: Vec<f64>,
}

/// One proposal, located and scored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredProposal {
    /// Index into [`Applicants::items`].
    pub applicant: u32,
    /// Index into that applicant's `proposals`.
    pub index: u8,
    /// Preference, 1 = most preferred.
    pub preference: u8,
    /// The proposed site, WGS 84.
    pub position: LonLat,
    /// Where the site lies.
    pub placement: Placement,
    /// Access figures; `None` outside the plan area.
    pub access: Option<Access>,
    /// 1-based rank among the proposals in the same catchment by access (shortest mean
    /// distance first; ties by applicant priority, then preference); `None` outside.
    pub rank_in_catchment: Option<u32>,
}

impl ScoredProposal {
    /// The catchment the proposal belongs to, if any.
    pub fn catchment(&self) -> Option<u32> {
        self.placement.catchment()
    }

    /// The proposal's efficiency, or `None` outside the plan area.
    pub fn efficiency(&self) -> Option<f64> {
        self.access.as_ref().map(|a| a.efficiency)
    }
}

type Boxed = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// An R-tree over the catchment polygons for point location.
struct PolygonIndex<'a> {
    tree: RTree<Boxed>,
    catchments: &'a [Catchment],
    polygons: Vec<geo::MultiPolygon<f64>>,
}

impl<'a> PolygonIndex<'a> {
    fn new(catchments: &'a [Catchment]) -> Self {
        let mut boxes = Vec::with_capacity(catchments.len());
        let mut polygons = Vec::with_capacity(catchments.len());
        for (i, c) in catchments.iter().enumerate() {
            if let Some([x0, y0, x1, y1]) = bbox(c.shape.vertices()) {
                let corners = ([x0, y0], [x1, y1]);
                boxes.push(GeomWithData::new(
                    Rectangle::from_corners(corners.0, corners.1),
                    i as u32,
                ));
            }
            polygons.push(c.shape.to_geo());
        }
        PolygonIndex {
            tree: RTree::bulk_load(boxes),
            catchments,
            polygons,
        }
    }

    /// Locates `p`; among polygons that share an edge the point lies on, the lowest index
    /// wins, so the result never depends on the tree's layout.
    fn locate(&self, p: LonLat, reach_m: f64) -> Placement {
        let point = geo::Point::new(p.lon, p.lat);
        let inside = self
            .tree
            .locate_all_at_point([p.lon, p.lat])
            .map(|b| b.data)
            .filter(|&c| self.polygons[c as usize].intersects(&point))
            .min();
        if let Some(c) = inside {
            return Placement::Inside(c);
        }
        if reach_m <= 0.0 {
            return Placement::Outside;
        }
        // A box of the reach around the point, in degrees (generously: 1 % margin).
        let dlat = (reach_m / EARTH_RADIUS_M).to_degrees() * 1.01;
        let cos = p.lat.to_radians().cos().max(1e-6);
        let dlon = (dlat / cos).min(360.0);
        let search = AABB::from_corners([p.lon - dlon, p.lat - dlat], [p.lon + dlon, p.lat + dlat]);
        let local = AzimuthalEquidistant::new(p);
        let origin = geo::Point::new(0.0, 0.0);
        let mut best: Option<(f64, u32)> = None;
        for b in self.tree.locate_in_envelope_intersecting(search) {
            let c = b.data;
            let d = self.catchments[c as usize]
                .shape
                .rings()
                .map(|r| {
                    let ring: Vec<(f64, f64)> = r
                        .iter()
                        .map(|&q| {
                            let xy = local.forward(q);
                            (xy[0], xy[1])
                        })
                        .collect();
                    Euclidean.distance(&origin, &geo::LineString::from(ring))
                })
                .fold(f64::INFINITY, f64::min);
            if d <= reach_m && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
                best = Some((d, c));
            }
        }
        match best {
            Some((distance_m, catchment)) => Placement::Near {
                catchment,
                distance_m,
            },
            None => Placement::Outside,
        }
    }
}

/// The households of each catchment in the region's metric plane, with their weights.
struct Members {
    start: Vec<usize>,
    points: Vec<[f64; 2]>,
    weights: Vec<u32>,
    projections: Vec<AzimuthalEquidistant>,
}

impl Members {
    fn new(
        catchments: &[Catchment],
        regions: &[RegionPlan],
        assignment: &[u32],
        households: &Households,
    ) -> Self {
        let k = catchments.len();
        let mut start = vec![0usize; k + 1];
        for &c in assignment {
            start[c as usize + 1] += 1;
        }
        for j in 0..k {
            start[j + 1] += start[j];
        }
        let projections: Vec<AzimuthalEquidistant> = regions
            .iter()
            .map(|r| AzimuthalEquidistant::new(r.projection_center))
            .collect();
        let mut fill = start.clone();
        let mut points = vec![[0.0; 2]; assignment.len()];
        let mut weights = vec![0u32; assignment.len()];
        for (h, &c) in households.items.iter().zip(assignment) {
            let c = c as usize;
            let region = catchments[c].region as usize;
            points[fill[c]] = projections[region].forward(h.position);
            weights[fill[c]] = h.weight;
            fill[c] += 1;
        }
        Members {
            start,
            points,
            weights,
            projections,
        }
    }

    fn access(&self, catchment: &Catchment, c: u32, site: LonLat, radii: &[f64]) -> Access {
        let s = self.projections[catchment.region as usize].forward(site);
        let range = self.start[c as usize]..self.start[c as usize + 1];
        let mut total = 0.0;
        let mut weight = 0.0;
        let mut within = vec![0.0; radii.len()];
        for (p, &w) in self.points[range.clone()].iter().zip(&self.weights[range]) {
            let d = crate::geometry::dist2(*p, s).sqrt();
            let w = f64::from(w);
            total += w * d;
            weight += w;
            for (acc, &r) in within.iter_mut().zip(radii) {
                if d <= r {
                    *acc += w;
                }
            }
        }
        let mean = if weight > 0.0 { total / weight } else { 0.0 };
        let ideal = catchment.distance.mean_m;
        let efficiency = if mean <= ideal || mean <= 0.0 {
            1.0
        } else {
            ideal / mean
        };
        Access {
            mean_distance_m: mean,
            efficiency,
            within_share: within
                .iter()
                .map(|&x| if weight > 0.0 { x / weight } else { 0.0 })
                .collect(),
        }
    }
}

/// Locates and scores every proposal of `applicants` against the `catchments` of a plan
/// (whose `regions` and household `assignment` were made from `households`), in applicant
/// order and preference order. `priority` gives each applicant's position in the award
/// order (0 first) and breaks ties in the ranking.
pub fn score_proposals(
    catchments: &[Catchment],
    regions: &[RegionPlan],
    assignment: &[u32],
    households: &Households,
    applicants: &Applicants,
    priority: &[u32],
    config: &PlanConfig,
) -> Vec<ScoredProposal> {
    let index = PolygonIndex::new(catchments);
    let members = Members::new(catchments, regions, assignment, households);
    let flat: Vec<(u32, u8)> = applicants
        .items
        .iter()
        .enumerate()
        .flat_map(|(a, app)| (0..app.proposals.len()).map(move |i| (a as u32, i as u8)))
        .collect();
    let mut scored: Vec<ScoredProposal> = flat
        .par_iter()
        .map(|&(a, i)| {
            let p = &applicants.items[a as usize].proposals[i as usize];
            let placement = index.locate(p.position, config.site_reach_m);
            let access = placement.catchment().map(|c| {
                let catchment = &catchments[c as usize];
                members.access(catchment, c, p.position, &config.access_radii_m)
            });
            ScoredProposal {
                applicant: a,
                index: i,
                preference: p.preference,
                position: p.position,
                placement,
                access,
                rank_in_catchment: None,
            }
        })
        .collect();
    // Rank within each catchment.
    let mut located: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].catchment().is_some())
        .collect();
    let key = |s: &ScoredProposal| {
        (
            s.catchment().unwrap_or(u32::MAX),
            s.access
                .as_ref()
                .map_or(f64::INFINITY, |a| a.mean_distance_m),
            priority
                .get(s.applicant as usize)
                .copied()
                .unwrap_or(u32::MAX),
            s.preference,
        )
    };
    located.sort_by(|&x, &y| {
        let (a, b) = (key(&scored[x]), key(&scored[y]));
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut previous = u32::MAX;
    let mut rank = 0;
    for &i in &located {
        let c = scored[i].catchment().unwrap_or(u32::MAX);
        rank = if c == previous { rank + 1 } else { 1 };
        previous = c;
        scored[i].rank_in_catchment = Some(rank);
    }
    scored
}
