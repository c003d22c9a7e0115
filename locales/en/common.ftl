# Shared words and figures.
regions-planned = { $regions ->
    [one] { $regions } region
   *[other] { $regions } regions
}
