//! `report.html`: one self-contained page per plan (SPEC §9) that opens offline in a
//! browser, in the plan's language ([`crate::PlanConfig::lang`]).
//!
//! The page holds the headline figures and the two award rules side by side, an
//! interactive map (Leaflet, embedded; catchments coloured as in `map.svg`, gaps hatched,
//! centers and proposals shown, each catchment's figures on hover or click), the
//! catchments (sortable), the gaps with their ideal centers, the applicants with their
//! reasons (searchable by id), a re-plan's churn and changes, the regions' diagnostics and
//! warnings, and the audit record of `summary.json`. It prints cleanly (a print style
//! sheet: the map fixed, the tables whole, no buttons).
//!
//! # Notes
//! - **Offline.** Scripts, styles and fonts (Vazirmatn, for Persian) are inline; the page
//!   names no network address. Only `--basemap URL_TEMPLATE` adds a tile layer.
//! - **Privacy.** No household id and no household location (SPEC §7): catchment outlines,
//!   centers and proposed sites are those of the public layers; a re-plan's moves are
//!   counted, never listed.
//! - **Determinism.** The same plan gives the same bytes: no timestamps, no random ids,
//!   every list in plan order.
//! - **Size.** Outlines are simplified for display (a twenty-thousandth of the plan's
//!   extent) and written as whole numbers of 10⁻⁵ degrees, so a national plan's page stays
//!   at a few megabytes.
//!
//! # Examples
//! ```
//! use siting::{Audit, Households, PlanConfig, Planner, ReportOptions, write_report};
//! let households = Households::from_points(
//!     (0..900).map(|i| ("", 50.0 + (i % 30) as f64 * 1e-3, 36.0 + (i / 30) as f64 * 1e-3, 1)),
//! );
//! let plan = Planner::new(PlanConfig::default())?.plan(&households)?;
//! let audit = Audit::new(Vec::new(), &serde_json::json!({}))?;
//! let mut html = Vec::new();
//! write_report(&plan, None, &audit, &ReportOptions::default(), &mut html)?;
//! let html = String::from_utf8(html).unwrap();
//! assert!(html.starts_with("<!DOCTYPE html>") && html.contains("C-0001"));
//! # Ok::<(), siting::Error>(())
//! ```

// One concept a file: `context` works out what every part reads, `html` writes escaped
// text and tables, `headline`, `tables`, `replan` and `audit` write the sections, `data`
// the map's JSON, `assets` embeds Leaflet, the fonts, the style sheet and the script, and
// `page` puts the page together.
mod assets;
mod audit;
mod context;
mod data;
mod headline;
mod html;
mod page;
mod replan;
mod tables;

use std::io::Write;

use crate::error::{Error, Result};
use crate::io::write::summary::Audit;
use crate::plan::Plan;
use crate::sites::SitePlan;

/// Options for [`write_report`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// The plan's date, `YYYY-MM-DD` (shown in the Solar Hijri calendar in Persian; empty:
    /// none).
    pub date: String,
    /// A tile URL template for a background map (`--basemap`), such as
    /// `https://tile.example.org/{z}/{x}/{y}.png`. Default: none, so that the page needs no
    /// network.
    pub basemap: Option<String>,
}

/// Width of `map.svg` whose neighbour colouring the report repeats, in pixels.
pub(crate) const COLOURING_WIDTH_PX: u32 = 1200;

/// Writes `report.html` for `plan` (with `sites` when applicants were given) and its
/// `audit` record (see the module docs).
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_report<W: Write>(
    plan: &Plan,
    sites: Option<&SitePlan>,
    audit: &Audit,
    options: &ReportOptions,
    out: W,
) -> Result<()> {
    write_report_coloured(plan, sites, audit, options, None, out)
}

/// [`write_report`] with the catchments' palette colours at [`COLOURING_WIDTH_PX`] given
/// (`crate::map::palette_colours`), when the caller has them already (`map.svg` uses them).
pub(crate) fn write_report_coloured<W: Write>(
    plan: &Plan,
    sites: Option<&SitePlan>,
    audit: &Audit,
    options: &ReportOptions,
    colours: Option<&[usize]>,
    mut out: W,
) -> Result<()> {
    let ctx = context::Context::new(
        plan,
        sites,
        audit,
        &options.date,
        options.basemap.as_deref(),
    );
    let fills = match colours {
        Some(colours) => crate::map::fill_names(colours),
        None => crate::map::catchment_fills(plan, COLOURING_WIDTH_PX),
    };
    let map = data::map_data(&ctx, &fills);
    let html = page::page(&ctx, &fills, map);
    out.write_all(html.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("writing", "report.html", e))
}
