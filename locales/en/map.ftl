# map.svg: the plan drawn as a map (SPEC §9). Ids start with `map-`.
map-title = Welfare service centers plan

## Subtitle: the area planned (names are isolated by the code where needed)
map-area-regions = { $regions } regions: { $names }
map-area-regions-by = { $regions } regions by { $by }: { $names }
map-area-more = { $first }, … { $last }

## Counts line
map-count-catchments = { $n ->
    [one] { $n } catchment
   *[other] { $n } catchments
}
map-count-households = { $n } households
map-count-existing = { $n ->
    [one] { $n } existing center
   *[other] { $n } existing centers
}
map-count-awarded = { $n } awarded
map-count-gaps = { $n ->
    [one] { $n } gap
   *[other] { $n } gaps
}
map-count-no-applicants = no applicants yet: ideal centers only

## Legend
map-legend = Legend
map-legend-catchment = Catchment (about { $households } households)
map-legend-gap = Gap: no center awarded ({ $n })
map-legend-existing = Existing center ({ $n })
map-legend-new = New catchment ({ $n })
map-legend-re-tender = To re-tender ({ $n })
map-legend-awarded = Awarded site ({ $n })
map-legend-ideal = Ideal center (least travel)
map-legend-proposal = Proposed site ({ $n })
map-scale = Scale
map-km = { $km } km
map-north = N
map-inset = Detail of the boxed area

## Degrees (graticule and footnote); $deg is a figure with its degree sign
map-degrees-north = { $deg }N
map-degrees-south = { $deg }S
map-degrees-east = { $deg }E
map-degrees-west = { $deg }W
map-footnote = Equirectangular projection, true to scale at { $lat } · WGS 84 · catchment colours only tell neighbours apart · siting { $version }

## Tooltips of the catchments
map-tooltip-households = { $n } households
map-tooltip-gap = gap
map-tooltip-awarded = awarded
