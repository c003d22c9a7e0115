# report.html: the plan's page (SPEC §9). Ids start with `report-`.
report-title = Welfare service centers plan
report-subtitle = { $catchments } catchments for { $households } households · { $date }
report-region-all = whole file
report-nav = Contents
report-yes = yes
report-no = no
report-none = none

## Units
report-metres = { $value } m
report-unit-m = m
report-unit-km = km

## Headline
report-summary = Summary
report-households = Households
report-households-detail = in { $rows } rows, { $regions ->
    [one] { $regions } region
   *[other] { $regions } regions
}
report-catchments = Catchments
report-sizes = sizes { $smallest }–{ $largest } households (bounds { $min }–{ $max })
report-distance = Distance to the ideal center
report-distance-detail = mean { $mean } m · p90 { $p90 } m · max { $max } m
report-awarded = Awarded catchments
report-awarded-detail = { $awarded } of { $catchments } catchments, { $served } households served
report-gaps-headline = Gaps
report-gaps-detail = catchments without a center, for a second call for applications
report-applicants-headline = Applicants
report-applicants-detail = { $eligible } eligible, { $proposals } proposals ({ $outside } outside the plan area)
report-rules = Award rules compared
report-rule = Rule
report-rule-used = (used)
report-rule-priority = priority
report-rule-optimal = optimal
report-rule-catchments = Catchments awarded
report-rule-applicants = Applicants awarded
report-rule-served = Households served
report-rule-efficiency = Mean efficiency
report-rule-access = Total access

## Map
report-map = Map
report-map-hint = Drag to pan, scroll or use + and − to zoom; hover or click a catchment for its figures.
report-map-reset = Show the whole plan
report-legend-catchment = Catchment (neighbours in different colours)
report-legend-gap = Gap: no center awarded
report-legend-awarded = Awarded site
report-legend-ideal = Ideal center
report-legend-proposal = Proposed site
report-legend-existing = Existing center (kept)
report-legend-new = New catchment
report-legend-re-tender = Catchment to re-tender
report-map-proposal = Proposal of { $applicant }, preference { $preference }
report-map-basemap = Background map: { $url }

## Catchments
report-catchments-table = Catchments
report-catchments-hint = Click a column header to sort; click an id to show it on the map.
report-col-catchment = Catchment
report-col-region = Region
report-col-households = Households
report-col-mean = Mean distance (m)
report-col-p90 = p90 distance (m)
report-col-max = Max distance (m)
report-col-area = Area (km²)
report-col-status = Site
report-col-applicant = Applicant
report-col-change = Change
report-col-center-lon = Ideal center longitude
report-col-center-lat = Ideal center latitude
report-col-proposals = Proposals
report-col-acceptable = Acceptable proposals
report-status-awarded = awarded
report-status-gap = gap
report-status-existing = existing center
report-change-kept = kept
report-change-new = new
report-change-re_tender = re-tender
report-change-merged_candidate = merge candidate

## Gaps
report-gaps = Gaps
report-gaps-none = Every catchment has a center.
report-gaps-no-applicants = No applicants were given, so every catchment still needs a center; the ideal centers are listed in the catchments table.

## Applicants
report-applicants = Applicants
report-search = Search an applicant id
report-search-count = { $shown } of { $total } applicants shown
report-col-outcome = Outcome
report-col-preference = Preference
report-col-reason = Reason
report-outcome-awarded = awarded
report-outcome-not_awarded = not awarded
report-outcome-ineligible = ineligible

## Regions and warnings
report-regions = Regions
report-col-catchments = Catchments
report-col-bounds = Bounds
report-col-range = Sizes
report-col-iterations = Iterations
report-col-converged = Converged
report-col-balanced = Balanced
report-col-gaps = Gaps
report-warnings = Warnings
report-warnings-none = No warnings.
report-col-line = Line
report-col-message = Message

## Re-plan
report-replan = Re-plan
report-replan-intro = Re-planned from { $source }: { $moved } of { $both } households moved ({ $share }); { $new } households new, { $left } gone. Moves are counted here only; moves.csv lists them (private).
report-churn = Churn per region
report-col-stayed = Stayed
report-col-moved = Moved
report-col-moved-share = Moved share
report-col-new-households = New households
report-col-left = Left
report-moves = Moves by reason
report-col-reason-count = Households
report-move-new_catchment = into a new catchment
report-move-rebalanced = rebalanced between kept catchments
report-move-center_closed = center closed
report-move-new_household = new to the program
report-move-left = left the program
report-changes = Catchments added or to re-tender
report-closed = Closed centers (catchments removed)
report-oversupply = Regions with more centers than needed
report-col-centers = Centers
report-col-needed = Needed
report-col-merge = Merge candidates
report-total = Total

## Audit
report-audit = Audit
report-audit-intro = The plan can be re-run and checked with siting verify; these are the inputs and parameters recorded in summary.json.
report-version = siting version
report-inputs = Inputs
report-col-file = File
report-col-sha256 = SHA-256
report-col-bytes = Bytes
report-col-rows = Rows
report-parameters = Parameters
report-col-parameter = Parameter
report-col-value = Value
report-footer = Made by siting { $version }. This page holds no household id and no household location.
