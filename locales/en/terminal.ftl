# The terminal summary of `siting plan` and its notes and warnings.
summary-written = plan written to { $dir } in { $secs } s ({ $phases })
summary-phase-read = read
summary-phase-plan = plan
summary-phase-award = award
summary-phase-write = write
summary-label-households = households
summary-label-catchments = catchments
summary-label-distance = distance
summary-label-replan = re-plan
summary-label-applicants = applicants
summary-label-gaps = gaps
summary-households = { $households } in { $rows } rows{ $rejected }, { $regions ->
        [one] { $regions } region
       *[other] { $regions } regions
    }
summary-rows-rejected = { $rows } rows rejected: rejected.csv
summary-catchments = { $catchments }, sizes { $smallest }–{ $largest } (bounds { $min }–{ $max })
summary-distance = to the ideal center: mean { $mean } m, p90 { $p90 } m, max { $max } m
summary-replan = moved { $moved } of { $total } households ({ $share } %); { $new ->
        [one] { $new } new catchment
       *[other] { $new } new catchments
    }, { $retender } to re-tender
summary-replan-closed = { $closed ->
        [one] { $closed } closed catchment
       *[other] { $closed } closed catchments
    } removed
summary-replan-households = { $new } households new, { $gone } gone (moves.csv lists them all)
summary-applicants = { $applicants } ({ $eligible } eligible), { $proposals } proposals ({ $outside } outside the plan area){ $rejected }
summary-applicants-rejected = { $rows } rows rejected
summary-award-rule = award rule
summary-award-catchments = catchments
summary-award-served = households served
summary-award-efficiency = mean efficiency
summary-award-access = total access
summary-gaps = { $gaps } of { $catchments } catchments without a center
summary-gaps-more = … ({ $more } more in summary.json)
summary-region = region
summary-region-households = households
summary-region-catchments = catchments
summary-region-sizes = sizes
summary-region-mean = mean m
summary-region-awarded = awarded
summary-region-gaps = gaps
summary-regions-more = … { $more } more regions in summary.json
note = note
warning = warning
note-ignored-columns = applicants file columns not used (never written to the plan): { $columns }
note-oversupply = { $region }: { $centers } centers for { $households } households, { $extra } more than the target of { $target } needs; none is closed automatically. Best merge candidates (smallest together): { $pairs }
the-plan-area = the plan area
warning-outside-polygon = region '{ $region }': { $households } household(s) lie outside their catchment's polygon (within a centimetre, after rounding to 7 decimals; or at the very place of a household of another region, which no boundary can separate)
warning-overlap = region '{ $region }': { $pairs } catchment polygon(s) still overlap catchments of other regions (their split by nearest household failed); please report this input
warning-not-converged = region '{ $region }' did not converge after { $iterations } iterations (sizes { $smallest }–{ $largest }, bounds { $min }–{ $max })
warning-out-of-bounds = region '{ $region }' is out of its size bounds after { $iterations } iterations (sizes { $smallest }–{ $largest }, bounds { $min }–{ $max })
note-interleave = { $catchments } catchment(s) in { $regions } region(s) interleave with catchments of other regions (no straight line separates their households: { $named }); their overlaps are split by nearest household, so those catchments are not convex (per region: unseparated_pairs in summary.json)
note-interleave-more = { $regions } more regions
progress-reading = reading { $file }
progress-balancing = balancing
progress-balancing-figures = { $done }/{ $total } households, { $regions_done }/{ $regions } regions
progress-awarding = scoring proposals and awarding centers
