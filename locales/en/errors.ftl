# Library errors (siting::Error, siting::ConfigError, siting::Location): one message per
# variant (or per form of a variant), with named arguments. `Display` renders these, so
# this file is the English text; keep every message on one line.

## Where a value came from. $path, $sheet, $name are as written; $row, $line, $column,
## $record are figures; $letters is a sheet's column (C).
error-at-sheet = { $path }: sheet '{ $sheet }', row { $row }
error-at-sheet-column = { $path }: sheet '{ $sheet }', row { $row }, column { $letters }
error-at-sheet-column-name = { $path }: sheet '{ $sheet }', row { $row }, column { $letters } ('{ $name }')
error-at-line = { $path }:{ $line } (record { $record })
error-at-line-name = { $path }:{ $line } (record { $record }, column '{ $name }')
error-at-line-column = { $path }:{ $line }:{ $column } (record { $record })
error-at-line-column-name = { $path }:{ $line }:{ $column } (record { $record }, column '{ $name }')
# What Location::line counts: $sheet is "yes" in a spreadsheet.
error-line-noun = { $sheet ->
    [yes] row
   *[no] line
}

## What an input/output operation was doing ($action of error-io).
error-action-reading = reading
error-action-writing = writing
error-action-creating = creating
error-action-opening = opening
error-action-recording = recording
error-action-preparing = preparing
error-action-creating-temporary-in = creating a temporary folder in
error-action-creating-temporary = creating a temporary folder
error-action-moving-previous-from = moving the previous plan from
error-action-moving-new-to = moving the new plan to

## The operating system's words, by kind. English shows the system's own message; these
## are what other languages say instead.
error-os-not-found = No such file or directory
error-os-permission-denied = Permission denied
error-os-already-exists = File exists
error-os-not-a-directory = Not a directory
error-os-is-a-directory = Is a directory
error-os-storage-full = No space left on device
error-os-read-only = Read-only file system
error-os-directory-not-empty = Directory not empty

## What a column holds ($what of the column messages).
error-column-longitude = longitude
error-column-latitude = latitude
error-column-household-id = household id
error-column-household-count = household count
error-column-applicant-id = applicant id
error-column-score = score
error-column-eligible = eligible
error-column-max-centers = max_centers
error-column-preference = preference
error-column-center-id = center id
error-column-status = status
error-column-region = region
error-column-region-by = region (--by)
error-column-site-longitude = site { $site } longitude
error-column-site-latitude = site { $site } latitude

## A region of a plan: $name, or the whole file when it is planned whole.
error-region = region '{ $name }'
error-region-whole = the file
# A list item quoted ($sheets of the sheet messages is a list of these).
error-quoted = '{ $name }'

## siting::Error, one message per variant.
error-io = { $action } { $path }: { $error }
error-csv = { $location }: { $message }
error-row-width = { $location }: row has { $fields } fields but the header has { $header }; check for a missing or extra delimiter
error-row-width-multiline = { $location }: row has { $fields } fields but the header has { $header }; a field runs over several lines: is a closing quote (") missing?
error-missing-column = { $path }: no { $what } column; expected one of { $expected } in the header (found: { $found })
error-duplicate-column = { $path }:1: the header has two { $what } columns ('{ $first }' and '{ $second }'); keep one
error-value-empty = { $location }: { $what } is empty
error-value-empty-id = { $location }: { $what } is empty; fill it in, or delete the row
error-value-preference = { $location }: { $field }; use a whole number from 1 (most preferred) to { $max }
error-value-score = { $location }: { $field }; use a number such as 72.5 (higher is served first), or leave the cell empty for no score
error-value-eligible = { $location }: eligible '{ $text }' is not one of { $values }; leave the cell empty for an eligible applicant
error-value-max-centers = { $location }: { $field }; use a whole number from 1 to { $max } (empty means 1)
error-value-max-centers-zero = { $location }: { $field }; to keep an applicant from being awarded any center, set eligible to false instead
error-value-terms-differ = { $location }: { $what } here is { $here } but { $first } on { $sheet ->
    [yes] row
   *[no] line
} { $first_line }, the first row of applicant '{ $applicant }'; every row of an applicant must give the same score, eligible and max_centers
error-value-site-latitude-empty = { $location }: site { $site } has a longitude but its latitude is empty; fill in both cells, or leave both empty for no site { $site }
error-value-site-longitude-empty = { $location }: site { $site } has a latitude but its longitude is empty; fill in both cells, or leave both empty for no site { $site }
error-value-status = { $location }: status '{ $text }' is not one of open, vacant, closed (empty = open)
error-value-date = { $location }: the cell holds a date ({ $shown }) where a number or text is expected (the spreadsheet took what was typed for a date); format the column as Number or Text and enter the values again
error-value-formula-error = { $location }: the cell holds the formula error { $code }; fix the formula, or copy the column and paste it back as values
# The start of a message about a field that is not a number as wanted ($field above).
error-field-empty = { $what } is empty
error-field-not-number = { $what } '{ $text }' { $problem }
# The values an eligible cell accepts ($values above).
error-eligible-values = true/false, yes/no, y/n, 1/0 or بله/خیر
# A term's value in error-value-terms-differ: an empty score, and eligible or not.
error-term-empty = empty
error-term-true = true
error-term-false = false
error-invalid-number = { $location }: { $what } '{ $text }' { $problem }
error-household-id-empty = { $location }: household id is empty
error-household-id-too-long = { $location }: household id is { $bytes } bytes long (at most { $max }); is a quote missing, so that many rows run together?
error-applicant-id-empty = { $location }: applicant id is empty; fill it in, or delete the row if it holds no applicant
error-coordinate-both-zero = { $location }: longitude and latitude are both 0 (a point in the Gulf of Guinea); this is usually an empty cell exported as zero: fill in the location
error-coordinate-swapped = { $location }: latitude { $lat } is outside [-90, 90] while longitude { $lon } would fit; are the lon and lat columns swapped?
error-coordinate-latitude = { $location }: latitude { $lat } is outside [-90, 90]
error-coordinate-longitude = { $location }: longitude { $lon } is outside [-180, 180]; for projected coordinates pass --crs
error-not-utf8 = { $location }: the text is not valid UTF-8; save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)"), or name its encoding (--encoding, e.g. windows-1252)
error-not-utf8-windows-1256 = { $location }: the text is not valid UTF-8, but reads as '{ $text }' in Windows-1256, so the file is most likely Windows-1256 (Arabic/Persian Windows, as older Excel saves CSV): read it with the encoding windows-1256 (--encoding windows-1256), or save it from Excel as "CSV UTF-8 (Comma delimited)"
error-no-such-sheet = { $path }: no sheet '{ $sheet }'; the workbook's sheets are { $sheets }
error-no-such-sheet-text-file = { $path } is a text (CSV) file, not a workbook, so it has no sheet '{ $sheet }'; name no sheet for it
error-spreadsheet = { $path }: { $message }
error-in-sheet-missing-column = { $path }: sheet '{ $sheet }': no { $what } column; expected one of { $expected } in the header on row { $row } (found: { $found })
error-in-sheet-duplicate-column = { $path }: sheet '{ $sheet }', row { $row }: the header has two { $what } columns ('{ $first }' and '{ $second }'); keep one
error-in-sheet-invalid-header = { $path }: sheet '{ $sheet }', row { $row }, column { $letters } (header, '{ $name }'): { $problem }
error-in-sheet-empty = { $path }: sheet '{ $sheet }' is empty
error-in-sheet-no-data = { $path }: sheet '{ $sheet }' has no data rows below its header on row { $row }
error-in-sheet-nothing-valid = { $path }: sheet '{ $sheet }': all { $rejected } rows were rejected, nothing left to plan; the first: { $first }
error-in-first-sheet = { $message } (this is the workbook's first sheet, read because no sheet was named; its other sheets: { $sheets })
error-header-not-first = { $path }: sheet '{ $sheet }': the header is on row { $header_row } ({ $found }), but row { $first_row } above it holds '{ $above }'; delete the rows above the header, so that it is the first row
error-merged-header-cells = { $path }: sheet '{ $sheet }', row { $row }: the header cells { $cells } are merged; a header needs one cell per column: unmerge them and give each column its own name
error-merged-cells = { $path }: sheet '{ $sheet }', row { $row }: cells { $cells } are merged, so only the first holds a value and the others read as empty; unmerge them and fill in every cell
error-empty = { $path }: no data rows (the file is empty or has only a header)
error-nothing-valid = { $path }: all { $rejected } rows were rejected, nothing left to plan; the first: { $first }
error-duplicate-id = { $location }: household id '{ $id }' already appeared on { $sheet ->
    [yes] row
   *[no] line
} { $first_line }; ids must be unique
error-duplicate-center = { $location }: center id '{ $id }' already appeared on line { $first_line }; each center must be listed once
error-unknown-center = { $location }: center '{ $id }' is not in { $centers }; check the id, or add the center (with status closed if it no longer runs)
error-center-outside-regions = { $path }:{ $line }: center '{ $id }' is in region '{ $region }', which has no households in this file (regions: { $known }); check the region columns, or --by
error-previous-plan = previous plan { $path }: { $problem }
error-previous-parameters = previous plan { $path } was planned with { $previous }, this run with { $given }; re-plan with the same { $parameter } (or plan from scratch)
error-parameter-value = { $parameter } { $value }
error-parameter-absent = no { $parameter }
error-invalid-header = { $path }:1:{ $column } (header, column '{ $name }'): { $problem }
error-duplicate-preference = { $location }: applicant '{ $applicant }' already has a proposal with preference { $preference } on { $sheet ->
    [yes] row
   *[no] line
} { $first_line }; give each of an applicant's proposals a different preference from 1 to 5
error-duplicate-row = { $location }: this row is a duplicate of { $sheet ->
    [yes] row
   *[no] line
} { $first_line } (applicant '{ $applicant }', preference { $preference }, same site); delete one of the two rows
error-too-many-proposals = { $location }: applicant '{ $applicant }' has more than 5 proposals (this is their row { $count }; the first is on { $sheet ->
    [yes] row
   *[no] line
} { $first_line }); at most 5 are allowed, one for each preference 1 to 5: remove the extra rows
error-duplicate-applicant = { $location }: applicant '{ $applicant }' already has a row on { $sheet ->
    [yes] row
   *[no] line
} { $first_line }; with site1_lon, site1_lat, … columns each applicant has one row, so keep one of the two (was the form submitted twice?)
error-invalid-config = invalid configuration: { $problem }
error-no-households = no households to plan
error-too-few-catchments = { $catchments } catchments were asked for but there are { $regions } regions; every region needs at least one
error-infeasible = { $region }: { $households } households cannot form { $catchments } catchments of { $min }–{ $max } households; adjust the target size, the size tolerance or the size bounds
error-heavy-location = { $region }: one location holds { $households } households (rows with the same coordinates count together), more than the largest allowed catchment ({ $max }); check the coordinates, or raise the size bounds or the size tolerance
error-too-few-locations = { $region }: { $catchments } catchments requested but only { $locations } distinct household locations
error-plan-mismatch = the plan was made from { $planned } households rows but { $given } were given; award sites with the households the plan was made from
error-recorded-input-relative = opening { $path }: { $error }; { $summary } records this path relative to the folder the plan was made in, and not which folder that was: verify from there, or give the inputs' current paths
error-recorded-input-absolute = opening { $path }: { $error }; { $summary } records this path as it was when the plan was made (the file has moved or is gone): give the inputs' current paths
error-invalid-summary = { $path }: { $problem }; is this a plan folder written by siting?
error-proj-unavailable = input in { $crs } needs the 'proj' feature: rebuild with `cargo build --release --features proj` (needs cmake and libsqlite3-dev), or convert the file to longitude/latitude (EPSG:4326)
error-projection = projection { $crs }: { $message }
error-output-not-a-plan = { $path } exists and is not a siting plan (no summary.json); choose another output folder, or replace it on purpose

## Why a previous plan cannot be used (siting::PreviousPlanProblem), after its path.
error-previous-plan-no-folder = no such folder; give the folder a siting plan was written to (its --out)
error-previous-plan-not-siting = not written by siting; for other records use --centers and --previous-assignments
error-previous-plan-file-missing = is missing; is this a plan folder written by siting?
error-previous-plan-assignments-missing = is missing; the plan folder must keep its private assignments.csv for a re-plan
# $detail: the JSON parser's words.
error-previous-plan-not-json = is not valid JSON ({ $detail }); was it edited or cut short?
error-previous-plan-not-features = is not a GeoJSON feature collection
error-previous-plan-no-catchments = has no catchments; re-plan from a complete plan folder
error-previous-plan-feature-incomplete = feature { $feature } lacks catchment_id, center_lon or center_lat; was it edited?
error-previous-plan-sources = give either --previous PLAN_DIR, or --centers with --previous-assignments (not both, nor one of the two files alone)

## Why summary.json is not a siting summary (siting::SummaryProblem); $detail: the JSON
## reader's words.
error-summary-not-json = not JSON ({ $detail })
error-summary-not-siting = no "tool": "siting"
error-summary-parameters = parameters unreadable ({ $detail })

## Why a header cell is not allowed (siting::HeaderProblem). $max is a count; $last the
## last site column's name (site5), as written.
error-header-preference-with-sites = a preference column (one row per proposal) cannot be combined with site columns such as '{ $site_column }' (one row per applicant); use one of the two layouts
error-header-site-zero = site numbers start at 1 (site1 is the most preferred); renumber the site columns from site1 to { $last }
error-header-site-over-max = an applicant may make at most { $max } proposals, so the site columns run from site1 to { $last }; remove this column

## Why a field is not a number (siting::NumberProblem), after the field's text.
error-number-empty = is empty
error-number-not-a-number = is not a number
error-number-not-finite = is not a finite number
error-number-separator = contains a comma or thousands separator; use '.' (or '٫') as the decimal separator and no grouping
error-number-fractional = must be a whole number
error-number-not-positive = must be at least 1
error-number-too-large = is larger than the allowed { $max }

## siting::ConfigError: a parameter out of its range.
error-config-target-size = the target size must be at least 1 household
error-config-tolerance = the size tolerance { $value } must be a fraction in [0, 1), e.g. 0.1 for ±10 %
error-config-catchments = the number of catchments must be at least 1
error-config-size-bounds = the smallest catchment size { $min } is larger than the largest { $max }
error-config-max-size = the largest catchment size must be at least 1
error-config-max-iterations = max_iterations must be at least 1
error-config-restarts = restarts must be at least 1
error-config-envelope-buffer = the envelope buffer { $metres } m must be a positive number of metres
error-config-site-reach = the site reach { $metres } m must be a distance of 0 m or more
error-config-min-efficiency = the minimum efficiency { $value } must be in [0, 1] (1 = only sites as good as the ideal center)
error-config-stickiness = stickiness must be a number at least 0 (0 = no preference for the previous catchment), got { $value }
error-config-access-radii = the access radii { $radii } must be 1 to 8 positive distances in metres, e.g. 1000, 3000
error-config-encoding = unknown text encoding '{ $label }'; use a label such as utf-8, utf-16le or windows-1256
error-config-award-rule = award rule '{ $name }': expected 'priority' or 'optimal'
error-config-objective = objective '{ $name }': expected 'squared' or 'distance'
error-config-effort = effort must be a number from 0 to 1000 (0 = no improvement moves, 1 = the default budget), got { $value }
error-config-map-width = the map must be at least { $min_px } pixels wide (got { $px })
error-config-generate-none = the number of households to generate must be at least 1
error-config-unknown-province = unknown province '{ $name }'; known: { $known }
