# خطاهای کتابخانه (siting::Error، siting::ConfigError، siting::Location): برای هر گونه
# یک پیام با آرگومان‌های نام‌دار. هر پیام در یک سطر.

## جای یک مقدار در پرونده.
error-at-sheet = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }
error-at-sheet-column = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }، ستون { $letters }
error-at-sheet-column-name = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }، ستون { $letters } («{ $name }»)
error-at-line = { $path }، خط { $line } (ردیف دادهٔ { $record })
error-at-line-name = { $path }، خط { $line } (ردیف دادهٔ { $record }، ستون «{ $name }»)
error-at-line-column = { $path }، خط { $line }، ستون { $column } (ردیف دادهٔ { $record })
error-at-line-column-name = { $path }، خط { $line }، ستون { $column } (ردیف دادهٔ { $record }، ستون «{ $name }»)
error-line-noun = { $sheet ->
    [yes] ردیف
   *[no] خط
}

## کاری که هنگام خطای خواندن یا نوشتن در دست بود.
error-action-reading = خواندن
error-action-writing = نوشتن
error-action-creating = ساختن
error-action-opening = باز کردن
error-action-recording = ثبت
error-action-preparing = آماده کردن
error-action-creating-temporary-in = ساختن پوشهٔ موقت در
error-action-creating-temporary = ساختن پوشهٔ موقت
error-action-moving-previous-from = جابه‌جا کردن طرح پیشین از
error-action-moving-new-to = جابه‌جا کردن طرح تازه به

## پاسخ سیستم‌عامل، بر پایهٔ گونهٔ خطا.
error-os-not-found = چنین پرونده یا پوشه‌ای وجود ندارد
error-os-permission-denied = اجازهٔ دسترسی داده نشد
error-os-already-exists = پرونده از پیش وجود دارد
error-os-not-a-directory = پوشه نیست
error-os-is-a-directory = پوشه است، نه پرونده
error-os-storage-full = جای خالی روی دیسک نمانده است
error-os-read-only = این دیسک فقط‌خواندنی است
error-os-directory-not-empty = پوشه خالی نیست

## آنچه یک ستون در خود دارد.
error-column-longitude = طول جغرافیایی
error-column-latitude = عرض جغرافیایی
error-column-household-id = شناسهٔ خانوار
error-column-household-count = تعداد خانوار
error-column-applicant-id = شناسهٔ متقاضی
error-column-score = امتیاز
error-column-eligible = واجد شرایط بودن
error-column-max-centers = بیشینهٔ مراکز
error-column-preference = اولویت
error-column-center-id = شناسهٔ مرکز
error-column-status = وضعیت
error-column-region = منطقه
error-column-region-by = منطقه (--by)
error-column-site-longitude = طول جغرافیایی محل { $site }
error-column-site-latitude = عرض جغرافیایی محل { $site }

## منطقه‌ای از طرح، یا کل پرونده وقتی یکجا برنامه‌ریزی می‌شود.
error-region = منطقهٔ «{ $name }»
error-region-whole = کل پرونده
error-quoted = «{ $name }»

## siting::Error
error-io = { $action } { $path } ناموفق بود: { $error }
error-csv = { $location }: { $message }
error-row-width = { $location }: این ردیف { $fields } مقدار دارد ولی سرستون‌ها { $header } ستون‌اند؛ جداکنندهٔ کم یا اضافه را بررسی کنید
error-row-width-multiline = { $location }: این ردیف { $fields } مقدار دارد ولی سرستون‌ها { $header } ستون‌اند؛ یک مقدار در چند خط ادامه یافته است: آیا یک گیومهٔ پایانی (") جا افتاده است؟
error-missing-column = { $path }: ستون { $what } پیدا نشد؛ سرستون‌ها باید یکی از این نام‌ها را داشته باشند: { $expected } (سرستون‌های موجود: { $found })
error-duplicate-column = { $path }، خط ۱: سرستون دو ستون { $what } دارد («{ $first }» و «{ $second }»)؛ یکی را نگه دارید
error-value-empty = { $location }: { $what } خالی است
error-value-empty-id = { $location }: { $what } خالی است؛ آن را پر کنید، یا ردیف را پاک کنید
error-value-preference = { $location }: { $field }؛ عددی صحیح از ۱ (بیشترین ترجیح) تا { $max } بنویسید
error-value-score = { $location }: { $field }؛ عددی مانند ۷۲٫۵ بنویسید (امتیاز بالاتر زودتر برگزیده می‌شود)، یا برای نداشتن امتیاز سلول را خالی بگذارید
error-value-eligible = { $location }: واجد شرایط بودن «{ $text }» یکی از این مقدارها نیست: { $values }؛ برای متقاضی واجد شرایط سلول را خالی بگذارید
error-value-max-centers = { $location }: { $field }؛ عددی صحیح از ۱ تا { $max } بنویسید (خالی یعنی ۱)
error-value-max-centers-zero = { $location }: { $field }؛ برای اینکه به متقاضی هیچ مرکزی واگذار نشود، به جای آن واجد شرایط بودن را «خیر» بگذارید
error-value-terms-differ = { $location }: { $what } در این ردیف { $here } است ولی در { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line }، نخستین ردیف متقاضی «{ $applicant }»، { $first } است؛ همهٔ ردیف‌های یک متقاضی باید امتیاز، واجد شرایط بودن و بیشینهٔ مراکز یکسانی داشته باشند
error-value-site-latitude-empty = { $location }: محل { $site } طول جغرافیایی دارد ولی عرض جغرافیایی آن خالی است؛ هر دو سلول را پر کنید، یا اگر محل { $site } ندارد هر دو را خالی بگذارید
error-value-site-longitude-empty = { $location }: محل { $site } عرض جغرافیایی دارد ولی طول جغرافیایی آن خالی است؛ هر دو سلول را پر کنید، یا اگر محل { $site } ندارد هر دو را خالی بگذارید
error-value-status = { $location }: وضعیت «{ $text }» یکی از open، vacant و closed نیست (خالی یعنی open)
error-value-date = { $location }: در این سلول تاریخی ({ $shown }) هست، در حالی که عدد یا متن انتظار می‌رود (صفحه‌گسترده آنچه را تایپ شده بود تاریخ پنداشته است)؛ قالب ستون را Number یا Text کنید و مقدارها را دوباره وارد کنید
error-value-formula-error = { $location }: در این سلول خطای فرمول { $code } هست؛ فرمول را درست کنید، یا ستون را رونوشت کنید و به صورت مقدار (Paste Values) دوباره بچسبانید
error-field-empty = { $what } خالی است
error-field-not-number = { $what } «{ $text }» { $problem }
error-eligible-values = بله/خیر، true/false، yes/no، y/n یا 1/0
error-term-empty = خالی
error-term-true = بله
error-term-false = خیر
error-invalid-number = { $location }: { $what } «{ $text }» { $problem }
error-household-id-empty = { $location }: شناسهٔ خانوار خالی است
error-household-id-too-long = { $location }: شناسهٔ خانوار { $bytes } بایت است (دست‌بالا { $max })؛ آیا یک گیومه جا افتاده است که چند ردیف به هم پیوسته‌اند؟
error-applicant-id-empty = { $location }: شناسهٔ متقاضی خالی است؛ آن را پر کنید، یا اگر ردیف متقاضی‌ای ندارد آن را پاک کنید
error-coordinate-both-zero = { $location }: طول و عرض جغرافیایی هر دو ۰ است (نقطه‌ای در خلیج گینه)؛ معمولاً سلولی خالی است که صفر ذخیره شده است: محل را وارد کنید
error-coordinate-swapped = { $location }: عرض جغرافیایی { $lat } بیرون از بازهٔ [−۹۰، ۹۰] است، در حالی که طول جغرافیایی { $lon } در این بازه می‌گنجد؛ آیا ستون‌های lon و lat جابه‌جا شده‌اند؟
error-coordinate-latitude = { $location }: عرض جغرافیایی { $lat } بیرون از بازهٔ [−۹۰، ۹۰] است
error-coordinate-longitude = { $location }: طول جغرافیایی { $lon } بیرون از بازهٔ [−۱۸۰، ۱۸۰] است؛ برای مختصات تصویرشده --crs را بدهید
error-not-utf8 = { $location }: متن با کدگذاری UTF-8 نیست؛ پرونده را با UTF-8 ذخیره کنید (در اکسل: «CSV UTF-8 (Comma delimited)»)، یا کدگذاری آن را نام ببرید (--encoding، برای نمونه windows-1252)
error-not-utf8-windows-1256 = { $location }: متن با کدگذاری UTF-8 نیست، ولی با Windows-1256 به صورت «{ $text }» خوانده می‌شود، پس به احتمال زیاد پرونده با Windows-1256 (ویندوز فارسی/عربی، آن‌گونه که اکسل‌های قدیمی CSV را ذخیره می‌کنند) نوشته شده است: آن را با کدگذاری windows-1256 بخوانید (--encoding windows-1256)، یا در اکسل با قالب «CSV UTF-8 (Comma delimited)» ذخیره کنید
error-no-such-sheet = { $path }: برگه‌ای به نام «{ $sheet }» نیست؛ برگه‌های این کتاب کار: { $sheets }
error-no-such-sheet-text-file = { $path } یک پروندهٔ متنی (CSV) است، نه کتاب کار اکسل، پس برگهٔ «{ $sheet }» ندارد؛ برای آن نام برگه ندهید
error-spreadsheet = { $path }: خواندن این پرونده ناموفق بود ({ $message })
error-in-sheet-missing-column = { $path }: برگهٔ «{ $sheet }»: ستون { $what } پیدا نشد؛ سرستون‌ها در ردیف { $row } باید یکی از این نام‌ها را داشته باشند: { $expected } (سرستون‌های موجود: { $found })
error-in-sheet-duplicate-column = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }: سرستون دو ستون { $what } دارد («{ $first }» و «{ $second }»)؛ یکی را نگه دارید
error-in-sheet-invalid-header = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }، ستون { $letters } (سرستون «{ $name }»): { $problem }
error-in-sheet-empty = { $path }: برگهٔ «{ $sheet }» خالی است
error-in-sheet-no-data = { $path }: برگهٔ «{ $sheet }» زیر سرستون‌هایش در ردیف { $row } هیچ ردیف داده‌ای ندارد
error-in-sheet-nothing-valid = { $path }: برگهٔ «{ $sheet }»: همهٔ { $rejected } ردیف کنار گذاشته شد و چیزی برای برنامه‌ریزی نماند؛ نخستین ایراد: { $first }
error-in-first-sheet = { $message } (این نخستین برگهٔ کتاب کار است که چون نام برگه‌ای داده نشد خوانده شد؛ برگه‌های دیگر آن: { $sheets })
error-header-not-first = { $path }: برگهٔ «{ $sheet }»: سرستون‌ها در ردیف { $header_row } است ({ $found })، ولی ردیف { $first_row } بالای آن «{ $above }» دارد؛ ردیف‌های بالای سرستون‌ها را پاک کنید تا سرستون‌ها ردیف نخست باشند
error-merged-header-cells = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }: سلول‌های سرستون { $cells } ادغام شده‌اند؛ هر ستون به یک سلول سرستون جدا نیاز دارد: ادغام را بردارید و به هر ستون نام خودش را بدهید
error-merged-cells = { $path }: برگهٔ «{ $sheet }»، ردیف { $row }: سلول‌های { $cells } ادغام شده‌اند، پس تنها سلول نخست مقدار دارد و بقیه خالی خوانده می‌شوند؛ ادغام را بردارید و همهٔ سلول‌ها را پر کنید
error-empty = { $path }: هیچ ردیف داده‌ای ندارد (پرونده خالی است یا تنها سرستون دارد)
error-nothing-valid = { $path }: همهٔ { $rejected } ردیف کنار گذاشته شد و چیزی برای برنامه‌ریزی نماند؛ نخستین ایراد: { $first }
error-duplicate-id = { $location }: شناسهٔ خانوار «{ $id }» پیش‌تر در { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line } آمده است؛ شناسه‌ها باید یکتا باشند
error-duplicate-center = { $location }: شناسهٔ مرکز «{ $id }» پیش‌تر در خط { $first_line } آمده است؛ هر مرکز باید تنها یک بار فهرست شود
error-unknown-center = { $location }: مرکز «{ $id }» در { $centers } نیست؛ شناسه را بررسی کنید، یا مرکز را بیفزایید (اگر دیگر کار نمی‌کند، با وضعیت closed)
error-center-outside-regions = { $path }، خط { $line }: مرکز «{ $id }» در منطقهٔ «{ $region }» است که در این پرونده هیچ خانواری ندارد (مناطق: { $known })؛ ستون‌های منطقه یا --by را بررسی کنید
error-previous-plan = طرح پیشین { $path }: { $problem }
error-previous-parameters = طرح پیشین { $path } { $previous } تهیه شده است و این اجرا { $given }؛ با همان { $parameter } دوباره برنامه‌ریزی کنید (یا طرح را از نو بسازید)
error-parameter-value = با { $parameter } { $value }
error-parameter-absent = بدون { $parameter }
error-invalid-header = { $path }، خط ۱، ستون { $column } (سرستون «{ $name }»): { $problem }
error-duplicate-preference = { $location }: متقاضی «{ $applicant }» پیش‌تر در { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line } پیشنهادی با اولویت { $preference } داده است؛ هر یک از پیشنهادهای یک متقاضی باید اولویتی جدا از ۱ تا ۵ داشته باشد
error-duplicate-row = { $location }: این ردیف تکرار { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line } است (متقاضی «{ $applicant }»، اولویت { $preference }، همان محل)؛ یکی از این دو ردیف را پاک کنید
error-too-many-proposals = { $location }: متقاضی «{ $applicant }» بیش از ۵ پیشنهاد دارد (این ردیف { $count } اوست؛ نخستین در { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line })؛ دست‌بالا ۵ پیشنهاد پذیرفته است، یکی برای هر اولویت ۱ تا ۵: ردیف‌های اضافه را پاک کنید
error-duplicate-applicant = { $location }: متقاضی «{ $applicant }» پیش‌تر در { $sheet ->
    [yes] ردیف
   *[no] خط
} { $first_line } ردیفی دارد؛ با ستون‌های site1_lon، site1_lat، … هر متقاضی یک ردیف دارد، پس یکی از این دو را نگه دارید (آیا فرم دو بار فرستاده شده است؟)
error-invalid-config = پیکربندی نادرست: { $problem }
error-no-households = هیچ خانواری برای برنامه‌ریزی نیست
error-too-few-catchments = { $catchments } حوزه خواسته شده است ولی { $regions } منطقه هست؛ هر منطقه دست‌کم یک حوزه لازم دارد
error-infeasible = { $region }: از { $households } خانوار نمی‌توان { $catchments } حوزه با { $min } تا { $max } خانوار ساخت؛ اندازهٔ هدف، رواداری اندازه یا حدهای اندازه را تغییر دهید
error-heavy-location = { $region }: در یک نقطه { $households } خانوار هست (ردیف‌هایی با مختصات یکسان با هم شمرده می‌شوند)، بیش از بزرگ‌ترین حوزهٔ مجاز ({ $max })؛ مختصات را بررسی کنید، یا حدهای اندازه یا رواداری اندازه را بالا ببرید
error-too-few-locations = { $region }: { $catchments } حوزه خواسته شده است ولی خانوارها تنها در { $locations } نقطهٔ جدا از هم هستند
error-plan-mismatch = طرح از { $planned } ردیف خانوار ساخته شده است ولی { $given } ردیف داده شد؛ محل‌ها را با همان خانوارهایی واگذار کنید که طرح از آن‌ها ساخته شده است
error-recorded-input-relative = باز کردن { $path } ناموفق بود: { $error }؛ { $summary } این مسیر را نسبت به پوشه‌ای ثبت کرده است که طرح در آن ساخته شد، و نام آن پوشه را ندارد: از همان پوشه بررسی کنید، یا مسیر کنونی ورودی‌ها را بدهید
error-recorded-input-absolute = باز کردن { $path } ناموفق بود: { $error }؛ { $summary } این مسیر را همان‌گونه ثبت کرده است که هنگام ساختن طرح بود (پرونده جابه‌جا یا پاک شده است): مسیر کنونی ورودی‌ها را بدهید
error-invalid-summary = { $path }: { $problem }؛ آیا این پوشهٔ طرحی است که siting نوشته است؟
error-proj-unavailable = ورودی با { $crs } به قابلیت «proj» نیاز دارد: برنامه را با `cargo build --release --features proj` دوباره بسازید (cmake و libsqlite3-dev لازم است)، یا پرونده را به طول و عرض جغرافیایی (EPSG:4326) برگردانید
error-projection = تبدیل مختصات { $crs }: { $message }
error-output-not-a-plan = { $path } وجود دارد و طرح siting نیست (summary.json ندارد)؛ پوشهٔ خروجی دیگری برگزینید، یا آگاهانه آن را جایگزین کنید

## چرا طرح پیشین به کار نمی‌آید (siting::PreviousPlanProblem)، پس از مسیر آن.
error-previous-plan-no-folder = چنین پوشه‌ای وجود ندارد؛ پوشه‌ای را بدهید که siting طرحی در آن نوشته است (همان --out آن طرح)
error-previous-plan-not-siting = این پرونده را siting ننوشته است؛ برای سوابق دیگر --centers و --previous-assignments را به کار ببرید
error-previous-plan-file-missing = این پرونده وجود ندارد؛ آیا این پوشهٔ طرحی است که siting نوشته است؟
error-previous-plan-assignments-missing = این پرونده وجود ندارد؛ پوشهٔ طرح باید برای برنامه‌ریزی دوباره پروندهٔ محرمانهٔ assignments.csv خود را نگه دارد
error-previous-plan-not-json = JSON معتبری نیست ({ $detail })؛ آیا ویرایش شده یا نیمه‌کاره مانده است؟
error-previous-plan-not-features = مجموعهٔ عارضه‌های GeoJSON (FeatureCollection) نیست
error-previous-plan-no-catchments = هیچ حوزه‌ای ندارد؛ از یک پوشهٔ طرح کامل دوباره برنامه‌ریزی کنید
error-previous-plan-feature-incomplete = عارضهٔ { $feature } یکی از catchment_id، center_lon یا center_lat را ندارد؛ آیا ویرایش شده است؟
error-previous-plan-sources = یا --previous PLAN_DIR را بدهید، یا --centers را همراه با --previous-assignments (نه هر دو، و نه تنها یکی از این دو پرونده)

## چرا summary.json خلاصهٔ siting نیست (siting::SummaryProblem).
error-summary-not-json = JSON نیست ({ $detail })
error-summary-not-siting = «"tool": "siting"» ندارد
error-summary-parameters = پارامترهای آن خوانا نیست ({ $detail })

## چرا یک سرستون در جای خود پذیرفته نیست (siting::HeaderProblem).
error-header-preference-with-sites = ستون اولویت (یک ردیف برای هر پیشنهاد) را نمی‌توان با ستون‌های محل مانند «{ $site_column }» (یک ردیف برای هر متقاضی) یکجا به کار برد؛ یکی از این دو چیدمان را برگزینید
error-header-site-zero = شمارهٔ محل‌ها از ۱ آغاز می‌شود (site1 بیشترین ترجیح را دارد)؛ ستون‌های محل را از site1 تا { $last } شماره‌گذاری کنید
error-header-site-over-max = هر متقاضی دست‌بالا { $max } پیشنهاد می‌تواند بدهد، پس ستون‌های محل از site1 تا { $last } است؛ این ستون را پاک کنید

## چرا یک سلول عدد نیست (siting::NumberProblem)، پس از متن سلول.
error-number-empty = خالی است
error-number-not-a-number = عدد نیست
error-number-not-finite = عددی معتبر (متناهی) نیست
error-number-separator = ویرگول یا جداکنندهٔ هزارگان دارد؛ برای ممیز «.» (یا «٫») به کار ببرید و رقم‌ها را دسته‌بندی نکنید
error-number-fractional = باید عددی صحیح باشد
error-number-not-positive = باید دست‌کم ۱ باشد
error-number-too-large = از بیشینهٔ مجاز ({ $max }) بزرگ‌تر است

## siting::ConfigError: پارامتری بیرون از بازهٔ مجاز.
error-config-target-size = اندازهٔ هدف باید دست‌کم ۱ خانوار باشد
error-config-tolerance = رواداری اندازه { $value } باید کسری در بازهٔ [۰، ۱) باشد، برای نمونه ۰٫۱ برای ±۱۰٪
error-config-catchments = شمار حوزه‌ها باید دست‌کم ۱ باشد
error-config-size-bounds = کمترین اندازهٔ حوزه ({ $min }) از بیشترین اندازه ({ $max }) بزرگ‌تر است
error-config-max-size = بیشترین اندازهٔ حوزه باید دست‌کم ۱ باشد
error-config-max-iterations = max_iterations باید دست‌کم ۱ باشد
error-config-restarts = restarts باید دست‌کم ۱ باشد
error-config-envelope-buffer = حاشیهٔ پوش { $metres } متر باید فاصله‌ای مثبت به متر باشد
error-config-site-reach = شعاع دسترسی محل { $metres } متر باید فاصله‌ای ۰ متر یا بیشتر باشد
error-config-min-efficiency = کمینهٔ کارایی { $value } باید در بازهٔ [۰، ۱] باشد (۱ = تنها محل‌هایی به خوبی مرکز آرمانی)
error-config-stickiness = چسبندگی باید عددی ۰ یا بیشتر باشد (۰ = بی‌ترجیح برای حوزهٔ پیشین)، ولی { $value } داده شد
error-config-access-radii = شعاع‌های دسترسی { $radii } باید ۱ تا ۸ فاصلهٔ مثبت به متر باشند، برای نمونه ۱۰۰۰، ۳۰۰۰
error-config-encoding = کدگذاری متن «{ $label }» شناخته نیست؛ نامی مانند utf-8، utf-16le یا windows-1256 به کار ببرید
error-config-award-rule = قاعدهٔ واگذاری «{ $name }»: باید «priority» یا «optimal» باشد
error-config-objective = هدف «{ $name }»: باید «squared» یا «distance» باشد
error-config-effort = تلاش باید عددی از ۰ تا ۱۰۰۰ باشد (۰ = بی حرکت‌های بهبود، ۱ = بودجهٔ پیش‌فرض)، ولی { $value } داده شد
error-config-map-width = پهنای نقشه باید دست‌کم { $min_px } پیکسل باشد ({ $px } داده شد)
error-config-generate-none = شمار خانوارهایی که ساخته می‌شود باید دست‌کم ۱ باشد
error-config-unknown-province = استان «{ $name }» شناخته نیست؛ استان‌های شناخته: { $known }
