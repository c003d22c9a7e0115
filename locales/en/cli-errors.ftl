# The command line's errors: the library's errors worded with the flags that fix them, and
# the word before every error line. Keep every message on one line.
cli-error = error
cli-error-too-few-catchments = --catchments { $catchments } is fewer than the { $regions } regions; every region needs at least one
cli-error-infeasible = { $region }: { $households } households cannot form { $catchments } catchments of { $min }–{ $max } households; adjust --target, --tolerance or --min-size/--max-size
cli-error-heavy-location = { $region }: one location holds { $households } households (rows with the same coordinates count together), more than the largest allowed catchment ({ $max }); check the coordinates, or raise --max-size/--tolerance
cli-error-proj-unavailable = --crs { $crs } needs the 'proj' feature: rebuild with `cargo build --release --features proj` (needs cmake and libsqlite3-dev), or convert the file to longitude/latitude (EPSG:4326)
cli-error-output-not-a-plan = { $path } exists and is not a siting plan (no summary.json); choose another --out folder or pass --force
cli-error-recorded-input-relative = opening { $path }: { $error }; { $summary } records this path relative to the folder the plan was made in, and not which folder that was: run siting verify from there, or point verify at the inputs with { $options }
cli-error-recorded-input-absolute = opening { $path }: { $error }; { $summary } records this path as it was when the plan was made (the file has moved or is gone): point verify at the inputs with { $options }
cli-error-sheet-of-text-file = { $message } (--sheet is for the households file, --applicants-sheet for the applicants file)
cli-error-no-such-sheet = { $message }: choose one with --sheet (households) or --applicants-sheet (applicants)
cli-error-first-sheet = { $message }; to read another sheet, name it with --sheet (households) or --applicants-sheet (applicants)

## Parameters out of range, worded with their flags.
cli-config-target-size = --target must be at least 1 household
cli-config-tolerance = --tolerance { $value } must be a fraction in [0, 1), e.g. 0.1 for ±10 %
cli-config-catchments = --catchments must be at least 1
cli-config-size-bounds = --min-size { $min } is larger than --max-size { $max }
cli-config-max-size = --max-size must be at least 1
cli-config-site-reach = --site-reach { $metres } m must be a distance of 0 m or more
cli-config-min-efficiency = --min-efficiency { $value } must be in [0, 1] (1 = only sites as good as the ideal center)
cli-config-stickiness = --stickiness must be a number at least 0, got { $value }
cli-config-access-radii = --access-radii { $radii } must be 1 to 8 positive distances in metres, e.g. 1000,3000
cli-config-award-rule = --award { $name }: expected 'priority' or 'optimal'
cli-config-objective = --objective { $name }: expected 'squared' or 'distance'
cli-config-effort = --effort must be a number from 0 to 1000, got { $value }
cli-config-generate-none = --n must be at least 1
cli-config-encoding = --encoding { $label }: unknown encoding; use a label such as utf-8, utf-16le or windows-1256
cli-config-unknown-province = --province: { $problem }
