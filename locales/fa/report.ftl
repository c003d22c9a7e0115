# report.html: صفحهٔ گزارش طرح (SPEC §9). شناسه‌ها با `report-` آغاز می‌شوند.
report-title = طرح مراکز خدمات بهزیستی
report-subtitle = { $catchments } حوزه برای { $households } خانوار – { $date }
report-region-all = کل فایل
report-nav = فهرست
report-yes = بله
report-no = خیر
report-none = هیچ

## Units
report-metres = { $value } متر
report-unit-m = متر
report-unit-km = کیلومتر

## Headline
report-summary = خلاصه
report-households = خانوارها
report-households-detail = در { $rows } ردیف، { $regions } منطقه
report-catchments = حوزه‌ها
report-sizes = اندازه { $smallest } تا { $largest } خانوار (مرزها { $min } تا { $max })
report-distance = فاصله تا مرکز آرمانی
report-distance-detail = میانگین { $mean } متر – صدک ۹۰ { $p90 } متر – بیشینه { $max } متر
report-awarded = حوزه‌های واگذارشده
report-awarded-detail = { $awarded } از { $catchments } حوزه، { $served } خانوار تحت پوشش
report-gaps-headline = حوزه‌های بی‌مرکز
report-gaps-detail = حوزه‌های بدون مرکز، برای فراخوان دوم
report-applicants-headline = متقاضیان
report-applicants-detail = { $eligible } واجد شرایط، { $proposals } پیشنهاد ({ $outside } بیرون از محدودهٔ طرح)
report-rules = مقایسهٔ دو قاعدهٔ واگذاری
report-rule = قاعده
report-rule-used = (به‌کاررفته)
report-rule-priority = اولویت
report-rule-optimal = بهینه
report-rule-catchments = حوزه‌های واگذارشده
report-rule-applicants = متقاضیان برنده
report-rule-served = خانوارهای تحت پوشش
report-rule-efficiency = میانگین کارایی
report-rule-access = دسترسی کل

## Map
report-map = نقشه
report-map-hint = برای جابه‌جایی بکشید، برای بزرگ‌نمایی چرخ موشواره یا + و − را به کار ببرید؛ نشانگر را روی یک حوزه ببرید یا روی آن کلیک کنید تا ارقامش را ببینید.
report-map-reset = نمایش کل طرح
report-legend-catchment = حوزه (حوزه‌های همسایه با رنگ‌های متفاوت)
report-legend-gap = حوزهٔ بی‌مرکز: مرکزی واگذار نشده
report-legend-awarded = مکان واگذارشده
report-legend-ideal = مرکز آرمانی
report-legend-proposal = مکان پیشنهادی
report-legend-existing = مرکز موجود (حفظ‌شده)
report-legend-new = حوزهٔ جدید
report-legend-re-tender = حوزه برای واگذاری دوباره
report-map-proposal = پیشنهاد { $applicant }، اولویت { $preference }
report-map-basemap = نقشهٔ زمینه: { $url }

## Catchments
report-catchments-table = حوزه‌ها
report-catchments-hint = برای مرتب‌سازی روی عنوان ستون کلیک کنید؛ با کلیک روی شناسه، حوزه روی نقشه نشان داده می‌شود.
report-col-catchment = حوزه
report-col-region = منطقه
report-col-households = خانوار
report-col-mean = میانگین فاصله (متر)
report-col-p90 = فاصلهٔ صدک ۹۰ (متر)
report-col-max = بیشینهٔ فاصله (متر)
report-col-area = مساحت (کیلومتر مربع)
report-col-status = مکان
report-col-applicant = متقاضی
report-col-change = تغییر
report-col-center-lon = طول جغرافیایی مرکز آرمانی
report-col-center-lat = عرض جغرافیایی مرکز آرمانی
report-col-proposals = پیشنهادها
report-col-acceptable = پیشنهادهای پذیرفتنی
report-status-awarded = واگذارشده
report-status-gap = بی‌مرکز
report-status-existing = مرکز موجود
report-change-kept = حفظ‌شده
report-change-new = جدید
report-change-re_tender = واگذاری دوباره
report-change-merged_candidate = نامزد ادغام

## Gaps
report-gaps = حوزه‌های بی‌مرکز
report-gaps-none = همهٔ حوزه‌ها مرکز دارند.
report-gaps-no-applicants = متقاضی‌ای داده نشده است، پس همهٔ حوزه‌ها هنوز به مرکز نیاز دارند؛ مراکز آرمانی در جدول حوزه‌ها آمده‌اند.

## Applicants
report-applicants = متقاضیان
report-search = جست‌وجوی شناسهٔ متقاضی
report-search-count = { $shown } از { $total } متقاضی نشان داده شده است
report-col-outcome = نتیجه
report-col-preference = اولویت
report-col-reason = دلیل
report-outcome-awarded = برنده
report-outcome-not_awarded = برنده نشده
report-outcome-ineligible = فاقد شرایط

## Regions and warnings
report-regions = مناطق
report-col-catchments = حوزه‌ها
report-col-bounds = مرزهای اندازه
report-col-range = اندازه‌ها
report-col-iterations = تکرارها
report-col-converged = همگرا
report-col-balanced = متوازن
report-col-gaps = بی‌مرکز
report-warnings = هشدارها
report-warnings-none = هشداری نیست.
report-col-line = سطر
report-col-message = پیام

## Re-plan
report-replan = بازطراحی
report-replan-intro = بازطراحی بر پایهٔ { $source }: { $moved } از { $both } خانوار جابه‌جا شدند ({ $share })؛ { $new } خانوار جدید، { $left } خانوار خارج‌شده. جابه‌جایی‌ها در اینجا فقط شمرده شده‌اند؛ فهرست آن‌ها در moves.csv است (محرمانه).
report-churn = جابه‌جایی در هر منطقه
report-col-stayed = ماندند
report-col-moved = جابه‌جا شدند
report-col-moved-share = سهم جابه‌جایی
report-col-new-households = خانوارهای جدید
report-col-left = خارج‌شده
report-moves = جابه‌جایی‌ها به تفکیک دلیل
report-col-reason-count = خانوار
report-move-new_catchment = به حوزهٔ جدید
report-move-rebalanced = توازن میان حوزه‌های حفظ‌شده
report-move-center_closed = بسته شدن مرکز
report-move-new_household = تازه‌وارد به برنامه
report-move-left = خروج از برنامه
report-changes = حوزه‌های افزوده یا برای واگذاری دوباره
report-closed = مراکز بسته‌شده (حوزه‌ها حذف شدند)
report-oversupply = مناطقی با مرکز بیش از نیاز
report-col-centers = مراکز
report-col-needed = مورد نیاز
report-col-merge = نامزدهای ادغام
report-total = جمع

## Audit
report-audit = ممیزی
report-audit-intro = طرح را می‌توان با فرمان siting verify دوباره اجرا و بررسی کرد؛ ورودی‌ها و پارامترهای ثبت‌شده در summary.json در اینجا آمده‌اند.
report-version = نسخهٔ siting
report-inputs = ورودی‌ها
report-col-file = فایل
report-col-sha256 = SHA-256
report-col-bytes = بایت
report-col-rows = ردیف
report-parameters = پارامترها
report-col-parameter = پارامتر
report-col-value = مقدار
report-footer = ساخته‌شده با siting { $version }. این صفحه هیچ شناسه یا موقعیت خانواری را در بر ندارد.
