//! Realistic synthetic households for samples, tests and benchmarks.
//!
//! Households are drawn around real Iranian places (GeoNames, CC BY 4.0; see
//! `data/README.md`) in proportion to their population: most live in towns and cities, in
//! neighbourhood clusters around sub-centers, and a rural share lives in small hamlets a
//! few kilometres from the nearest place. No point is a real person.
//!
//! Each row also gets a synthetic `county`: the nearest principal town (population at least
//! 5,000 and no larger town within 20 km), which is how Iranian counties are usually named.

use std::io::Write;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{ConfigError, Error, Result};
use crate::model::{Household, Households, LonLat};
use crate::projection::haversine_m;
use crate::spatial::PlaceIndex;

const PLACES_CSV: &str = include_str!("../data/places/iran_places.csv");

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Place name (GeoNames, romanised).
    pub name: String,
    /// Province (GeoNames first-level division).
    pub province: String,
    /// Location.
    pub position: LonLat,
    /// Population.
    pub population: u64,
}

/// The bundled table of Iranian places.
pub fn places() -> Vec<Place> {
    let mut r = csv::Reader::from_reader(PLACES_CSV.as_bytes());
    r.records()
        .filter_map(|rec| rec.ok())
        .filter_map(|rec| {
            Some(Place {
                name: rec.get(0)?.to_string(),
                province: rec.get(1)?.to_string(),
                position: LonLat::new(rec.get(4)?.parse().ok()?, rec.get(3)?.parse().ok()?),
                population: rec.get(5)?.parse().ok()?,
            })
        })
        .collect()
}

/// Province names in the bundled table, sorted.
pub fn provinces() -> Vec<String> {
    let mut p: Vec<String> = places().into_iter().map(|p| p.province).collect();
    p.sort();
    p.dedup();
    p
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Number of households (rows). Default: 24,000 (about Qazvin's 53 centers).
    pub households: usize,
    /// Provinces to cover (matched case-insensitively); empty for all 31. Default: Qazvin.
    pub provinces: Vec<String>,
    /// Random seed. Default: 1.
    pub seed: u64,
    /// Share of households in hamlets outside the listed places. Default: 0.15.
    pub rural_share: f64,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            households: 24_000,
            provinces: vec!["Qazvin".into()],
            seed: 1,
            rural_share: 0.15,
        }
    }
}

/// One generated row.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthRow {
    /// Household id (`H0000001`…).
    pub id: String,
    /// Location, rounded to 6 decimals.
    pub position: LonLat,
    /// Province.
    pub province: String,
    /// Synthetic county (nearest principal town).
    pub county: String,
}

fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn offset(p: LonLat, dx: f64, dy: f64) -> LonLat {
    let lat = p.lat + dy / 111_195.0;
    let lon = p.lon + dx / (111_195.0 * p.lat.to_radians().cos());
    LonLat::new((lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6)
}

/// Generates households per `options`, rows in random order.
///
/// ```
/// use siting::synth::{generate, GenerateOptions};
/// let rows = generate(&GenerateOptions { households: 500, ..Default::default() })?;
/// assert_eq!(rows.len(), 500);
/// assert!(rows.iter().all(|r| r.province == "Qazvin"));
/// # Ok::<(), siting::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidConfig`] for an unknown province or zero households.
pub fn generate(options: &GenerateOptions) -> Result<Vec<SynthRow>> {
    let all = places();
    let chosen = chosen_places(&all, options)?;
    let seats = county_seats(&chosen);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let n = options.households;
    let rural = ((n as f64) * options.rural_share.clamp(0.0, 1.0)).round() as usize;
    let urban = n - rural;
    let count = allocate(&chosen, urban);
    let mut rows: Vec<(LonLat, usize)> = Vec::with_capacity(n);
    town_households(&chosen, &count, &mut rng, &mut rows);
    hamlet_households(&chosen, rural, &mut rng, &mut rows);
    // Shuffle so the file reads like an unordered register.
    for i in (1..rows.len()).rev() {
        let j = (rng.random::<f64>() * (i + 1) as f64) as usize % (i + 1);
        rows.swap(i, j);
    }
    Ok(labelled(rows, &chosen, &seats))
}

/// The places of the provinces asked for (all when none is).
///
/// # Errors
/// [`Error::InvalidConfig`] for an unknown province or zero households.
fn chosen_places<'a>(all: &'a [Place], options: &GenerateOptions) -> Result<Vec<&'a Place>> {
    let wanted: Vec<String> = options.provinces.iter().map(|p| p.to_lowercase()).collect();
    for w in &wanted {
        if !all.iter().any(|p| p.province.to_lowercase() == *w) {
            return Err(Error::InvalidConfig(ConfigError::UnknownProvince {
                name: w.clone(),
                known: provinces().join(", "),
            }));
        }
    }
    if options.households == 0 {
        return Err(Error::InvalidConfig(ConfigError::GenerateNone));
    }
    Ok(all
        .iter()
        .filter(|p| wanted.is_empty() || wanted.contains(&p.province.to_lowercase()))
        .collect())
}

/// County seats: principal towns (at least 5,000 people), largest first, at least 20 km
/// from a larger seat of the same province.
fn county_seats<'a>(chosen: &[&'a Place]) -> Vec<&'a Place> {
    let mut seats: Vec<&Place> = Vec::new();
    let mut by_size = chosen.to_vec();
    by_size.sort_by(|a, b| b.population.cmp(&a.population).then(a.name.cmp(&b.name)));
    for p in &by_size {
        if p.population >= 5_000
            && !seats
                .iter()
                .any(|s| s.province == p.province && haversine_m(s.position, p.position) < 20_000.0)
        {
            seats.push(p);
        }
    }
    seats
}

/// The synthetic county of a household at `pos` in `province`: its nearest seat there
/// (the province itself when it has none).
fn county_of(seats: &[&Place], pos: LonLat, province: &str) -> String {
    seats
        .iter()
        .filter(|s| s.province == province)
        .min_by(|a, b| haversine_m(a.position, pos).total_cmp(&haversine_m(b.position, pos)))
        .map_or_else(|| province.to_string(), |s| s.name.clone())
}

/// Largest-remainder allocation of `urban` households to the places by population.
fn allocate(chosen: &[&Place], urban: usize) -> Vec<usize> {
    let total_pop: u64 = chosen.iter().map(|p| p.population).sum();
    let exact: Vec<f64> = chosen
        .iter()
        .map(|p| urban as f64 * p.population as f64 / total_pop as f64)
        .collect();
    let mut count: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut left = urban - count.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for &i in &order {
        if left == 0 {
            break;
        }
        count[i] += 1;
        left -= 1;
    }
    count
}

/// `count[pi]` households around each place `pi`, in neighbourhood clusters around
/// sub-centers (one per 15,000 people, up to 60), appended to `rows` with their place.
fn town_households(
    chosen: &[&Place],
    count: &[usize],
    rng: &mut ChaCha8Rng,
    rows: &mut Vec<(LonLat, usize)>,
) {
    for (pi, p) in chosen.iter().enumerate() {
        if count[pi] == 0 {
            continue;
        }
        let sigma = 120.0 * (p.population as f64 / 1000.0).sqrt();
        let subs = (p.population / 15_000).clamp(1, 60) as usize;
        let sub_centers: Vec<(f64, f64)> = (0..subs)
            .map(|s| {
                if s == 0 {
                    (0.0, 0.0)
                } else {
                    (gauss(rng) * sigma, gauss(rng) * sigma)
                }
            })
            .collect();
        for _ in 0..count[pi] {
            let (cx, cy) = sub_centers[(rng.random::<f64>() * subs as f64) as usize % subs];
            let s = if subs > 1 { sigma / 3.0 } else { sigma };
            rows.push((
                offset(p.position, cx + gauss(rng) * s, cy + gauss(rng) * s),
                pi,
            ));
        }
    }
}

/// `rural` households in hamlets of 3–40, 3–25 km from a place chosen in proportion to the
/// square root of its population, appended to `rows` with that place.
fn hamlet_households(
    chosen: &[&Place],
    rural: usize,
    rng: &mut ChaCha8Rng,
    rows: &mut Vec<(LonLat, usize)>,
) {
    let roots: Vec<f64> = chosen
        .iter()
        .map(|p| (p.population as f64).sqrt())
        .collect();
    let root_sum: f64 = roots.iter().sum();
    let mut placed = 0;
    while placed < rural {
        let mut t = rng.random::<f64>() * root_sum;
        let mut pi = 0;
        while pi + 1 < roots.len() && t >= roots[pi] {
            t -= roots[pi];
            pi += 1;
        }
        let dist = 3_000.0 + rng.random::<f64>() * 22_000.0;
        let angle = rng.random::<f64>() * std::f64::consts::TAU;
        let size = (3 + (rng.random::<f64>() * 38.0) as usize).min(rural - placed);
        let (hx, hy) = (dist * angle.cos(), dist * angle.sin());
        for _ in 0..size {
            rows.push((
                offset(
                    chosen[pi].position,
                    hx + gauss(rng) * 150.0,
                    hy + gauss(rng) * 150.0,
                ),
                pi,
            ));
        }
        placed += size;
    }
}

/// The rows with ids, provinces and counties. A household belongs to the province of its
/// nearest place, as administrative borders divide space: the provinces then meet along
/// lines instead of interleaving where the households around towns of two provinces
/// overlap.
fn labelled(rows: Vec<(LonLat, usize)>, chosen: &[&Place], seats: &[&Place]) -> Vec<SynthRow> {
    let mean_lat = chosen.iter().map(|p| p.position.lat).sum::<f64>() / chosen.len().max(1) as f64;
    let scale = mean_lat.to_radians().cos();
    let plane = |q: LonLat| [q.lon * scale, q.lat];
    let sites: Vec<[f64; 2]> = chosen.iter().map(|p| plane(p.position)).collect();
    let nearest = PlaceIndex::new(&sites);
    rows.into_iter()
        .enumerate()
        .map(|(i, (position, _))| {
            let province = &chosen[nearest.nearest(plane(position))].province;
            SynthRow {
                id: format!("H{:07}", i + 1),
                position,
                province: province.clone(),
                county: county_of(seats, position, province),
            }
        })
        .collect()
}

/// Writes generated rows as `household_id,lon,lat,province,county`.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_csv<W: Write>(rows: &[SynthRow], out: W) -> Result<()> {
    let err = |e: csv::Error| Error::io("writing", "generated CSV", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["household_id", "lon", "lat", "province", "county"])
        .map_err(err)?;
    for r in rows {
        w.write_record([
            r.id.as_str(),
            &format!("{:.6}", r.position.lon),
            &format!("{:.6}", r.position.lat),
            r.province.as_str(),
            r.county.as_str(),
        ])
        .map_err(err)?;
    }
    w.flush()
        .map_err(|e| Error::io("writing", "generated CSV", e))
}

/// `n` generated households of one province as a single-region [`Households`] set; the
/// shared generator for tests, benchmarks and examples.
///
/// ```
/// let hh = siting::synth::households(1000, 7);
/// assert_eq!(hh.len(), 1000);
/// ```
pub fn households(n: usize, seed: u64) -> Households {
    let rows = generate(&GenerateOptions {
        households: n.max(1),
        seed,
        ..Default::default()
    })
    .unwrap_or_default();
    Households {
        items: rows
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, r)| Household {
                id: r.id,
                position: r.position,
                weight: 1,
                region: 0,
                line: i as u64 + 2,
            })
            .collect(),
        regions: vec![String::new()],
        region_columns: Vec::new(),
        rejected: Vec::new(),
    }
}

/// Two years of a households file from one draw `all`: last year's, its first `n`
/// households, and this year's, which drops every `drop`-th of them (none for 0) and adds
/// the rest of `all` (spread like the old ones). The shared growth scenario of the
/// re-planning tests, example and benchmark.
///
/// ```
/// let all = siting::synth::households(1_100, 7);
/// let (before, after) = siting::synth::years(&all, 1_000, 33);
/// assert_eq!(before.len(), 1_000);
/// assert_eq!(after.len(), 1_000 - 31 + 100);
/// ```
pub fn years(all: &Households, n: usize, drop: usize) -> (Households, Households) {
    let mut before = all.clone();
    before.items.truncate(n);
    let mut after = all.clone();
    after.items = all
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| *i >= n || drop == 0 || i % drop != 0)
        .map(|(_, h)| h.clone())
        .collect();
    (before, after)
}

/// One generated applicant with its proposed sites (preference order).
#[derive(Debug, Clone, PartialEq)]
pub struct SynthApplicant {
    /// Applicant id (`A-0001`…).
    pub id: String,
    /// A placeholder personal field, so that tests can prove it never reaches an output.
    pub name: String,
    /// Priority score, 40–100.
    pub score: u32,
    /// About 1 in 12 applicants is ineligible.
    pub eligible: bool,
    /// 1 for people; 2–3 for the NGOs (about 1 in 15 applicants).
    pub max_centers: u32,
    /// Up to five proposed sites, preference 1 first.
    pub sites: Vec<LonLat>,
}

/// Generates `count` applicants proposing sites around the households in `rows`: each
/// person proposes five sites within a few kilometres of a home among the households (an
/// NGO spreads them over several towns); a few proposals are far off, outside the plan area.
///
/// ```
/// use siting::synth::{applicants, generate, GenerateOptions};
/// let rows = generate(&GenerateOptions { households: 2_000, ..Default::default() })?;
/// let apps = applicants(&rows, 20, 1);
/// assert_eq!(apps.len(), 20);
/// assert!(apps.iter().all(|a| (1..=5).contains(&a.sites.len())));
/// # Ok::<(), siting::Error>(())
/// ```
pub fn applicants(rows: &[SynthRow], count: usize, seed: u64) -> Vec<SynthApplicant> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xA991_1CA7);
    if rows.is_empty() {
        return Vec::new();
    }
    let width = count.to_string().len().max(4);
    (0..count)
        .map(|i| {
            let ngo = rng.random_range(0..15) == 0;
            let home_row = &rows[rng.random_range(0..rows.len())];
            let home = home_row.position;
            let n_sites = if rng.random_range(0..10) == 0 {
                rng.random_range(1..5)
            } else {
                5
            };
            let sites = (0..n_sites)
                .map(|_| {
                    // An NGO spreads its sites over its own province.
                    let anchor = if ngo {
                        (0..64)
                            .map(|_| &rows[rng.random_range(0..rows.len())])
                            .find(|r| r.province == home_row.province)
                            .map_or(home, |r| r.position)
                    } else {
                        home
                    };
                    if rng.random_range(0..40) == 0 {
                        // A site far from any household: outside the plan area.
                        let angle = rng.random::<f64>() * std::f64::consts::TAU;
                        let r = 60_000.0 + 40_000.0 * rng.random::<f64>();
                        offset(anchor, r * angle.cos(), r * angle.sin())
                    } else {
                        let s = 900.0;
                        offset(anchor, s * gauss(&mut rng), s * gauss(&mut rng))
                    }
                })
                .collect();
            SynthApplicant {
                id: format!("A-{:0width$}", i + 1),
                name: format!("Applicant {}", i + 1),
                score: (70.0 + 12.0 * gauss(&mut rng)).round().clamp(40.0, 100.0) as u32,
                eligible: rng.random_range(0..12) != 0,
                max_centers: if ngo { rng.random_range(2..4) } else { 1 },
                sites,
            }
        })
        .collect()
}

/// Writes generated applicants in the long layout of SPEC §3:
/// `applicant_id,name,preference,lon,lat,score,eligible,max_centers` (`name` is a personal
/// field the planner ignores).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_applicants_csv<W: Write>(applicants: &[SynthApplicant], out: W) -> Result<()> {
    let err = |e: csv::Error| Error::io("writing", "generated CSV", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "applicant_id",
        "name",
        "preference",
        "lon",
        "lat",
        "score",
        "eligible",
        "max_centers",
    ])
    .map_err(err)?;
    for a in applicants {
        for (p, site) in a.sites.iter().enumerate() {
            w.write_record([
                a.id.as_str(),
                a.name.as_str(),
                &(p + 1).to_string(),
                &format!("{:.6}", site.lon),
                &format!("{:.6}", site.lat),
                &a.score.to_string(),
                if a.eligible { "true" } else { "false" },
                &a.max_centers.to_string(),
            ])
            .map_err(err)?;
        }
    }
    w.flush()
        .map_err(|e| Error::io("writing", "generated CSV", e))
}
