# Warnings a plan carries (Plan::warnings).
warning-in-region = region '{ $region }'
warning-at-line = line { $line }
warning-outlier = this household is { $km } km from the middle of its region, where half the households are within { $typical } km; check its coordinates (a typo or swapped digits?); siting plans it where it is
warning-outliers-more = { $households } more households are over { $km } km from the middle of the region
warning-building-outside = the building of center { $center } ({ $lon }, { $lat }) lies outside its catchment: households next to it belong to other catchments; check the site, or whether its catchment should be redrawn
warning-sized-otherwise = the previous plan { $path } was made with { $parameter } { $previous }, this re-plan with { $given }: catchments are counted and bounded by the new value, so catchments may be added or left over and more households move than a re-plan at the same sizing would move
