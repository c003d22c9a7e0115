# map.svg: طرح به صورت نقشه (SPEC §9). شناسه‌ها با `map-` آغاز می‌شوند.
map-title = طرح مراکز خدمات بهزیستی

## Subtitle
map-area-regions = { $regions } منطقه: { $names }
map-area-regions-by = { $regions } منطقه بر پایهٔ { $by }: { $names }
map-area-more = { $first }، … { $last }

## Counts line
map-count-catchments = { $n } حوزه
map-count-households = { $n } خانوار
map-count-existing = { $n } مرکز موجود
map-count-awarded = { $n } واگذارشده
map-count-gaps = { $n } حوزهٔ بی‌مرکز
map-count-no-applicants = هنوز متقاضی‌ای نیست: فقط مراکز آرمانی

## Legend
map-legend = راهنما
map-legend-catchment = حوزه (حدود { $households } خانوار)
map-legend-gap = حوزهٔ بی‌مرکز ({ $n })
map-legend-existing = مرکز موجود ({ $n })
map-legend-new = حوزهٔ جدید ({ $n })
map-legend-re-tender = برای واگذاری دوباره ({ $n })
map-legend-awarded = مکان واگذارشده ({ $n })
map-legend-ideal = مرکز آرمانی (کمترین رفت‌وآمد)
map-legend-proposal = مکان پیشنهادی ({ $n })
map-scale = مقیاس
map-km = { $km } کیلومتر
map-north = ش
map-inset = جزئیات محدودهٔ کادرشده

## Degrees
map-degrees-north = { $deg } شمالی
map-degrees-south = { $deg } جنوبی
map-degrees-east = { $deg } شرقی
map-degrees-west = { $deg } غربی
map-footnote = تصویر استوانه‌ای هم‌فاصله، مقیاس درست در { $lat } – WGS 84 – رنگ حوزه‌ها فقط همسایه‌ها را از هم جدا می‌کند – siting { $version }

## Tooltips of the catchments
map-tooltip-households = { $n } خانوار
map-tooltip-gap = بی‌مرکز
map-tooltip-awarded = واگذارشده
