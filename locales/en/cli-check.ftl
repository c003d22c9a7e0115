# `siting check`: the inputs profiled without planning. Keep every message on one line.
check-cannot-be-planned = cannot be planned: { $problem }
check-households = { $rows } rows, { $households } households, { $regions } region(s)
check-applicants = { $applicants } applicants, { $proposals } proposals in { $path }
check-column-region = region
check-column-rows = rows
check-column-households = households
check-column-catchments = catchments
check-column-sizes = sizes
check-whole-file = (whole file)
check-region-cannot-be-planned = CANNOT BE PLANNED: { $problem }
check-problem = problem: { $reason }
check-more-problems = … and { $more } more problems
check-warning = warning: { $warning }
check-ok = ok: siting plan would succeed with these inputs
check-not-ok = not ok: siting plan would stop
check-not-ok-bad-rows = not ok: siting plan would stop at the first of { $rows } bad rows (or plan the rest with --skip-invalid)
