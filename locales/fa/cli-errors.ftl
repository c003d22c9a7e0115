# خطاهای خط فرمان: خطاهای کتابخانه با نام گزینه‌ای که آن‌ها را درست می‌کند، و واژهٔ آغاز
# هر سطر خطا. هر پیام در یک سطر.
cli-error = خطا
cli-error-too-few-catchments = --catchments { $catchments } از شمار مناطق ({ $regions }) کمتر است؛ هر منطقه دست‌کم یک حوزه لازم دارد
cli-error-infeasible = { $region }: از { $households } خانوار نمی‌توان { $catchments } حوزه با { $min } تا { $max } خانوار ساخت؛ --target، --tolerance یا --min-size/--max-size را تغییر دهید
cli-error-heavy-location = { $region }: در یک نقطه { $households } خانوار هست (ردیف‌هایی با مختصات یکسان با هم شمرده می‌شوند)، بیش از بزرگ‌ترین حوزهٔ مجاز ({ $max })؛ مختصات را بررسی کنید، یا --max-size/--tolerance را بالا ببرید
cli-error-proj-unavailable = --crs { $crs } به قابلیت «proj» نیاز دارد: برنامه را با `cargo build --release --features proj` دوباره بسازید (cmake و libsqlite3-dev لازم است)، یا پرونده را به طول و عرض جغرافیایی (EPSG:4326) برگردانید
cli-error-output-not-a-plan = { $path } وجود دارد و طرح siting نیست (summary.json ندارد)؛ پوشهٔ دیگری برای --out برگزینید یا --force بدهید
cli-error-recorded-input-relative = باز کردن { $path } ناموفق بود: { $error }؛ { $summary } این مسیر را نسبت به پوشه‌ای ثبت کرده است که طرح در آن ساخته شد، و نام آن پوشه را ندارد: siting verify را از همان پوشه اجرا کنید، یا ورودی‌ها را با { $options } به verify نشان دهید
cli-error-recorded-input-absolute = باز کردن { $path } ناموفق بود: { $error }؛ { $summary } این مسیر را همان‌گونه ثبت کرده است که هنگام ساختن طرح بود (پرونده جابه‌جا یا پاک شده است): ورودی‌ها را با { $options } به verify نشان دهید
cli-error-sheet-of-text-file = { $message } (‏--sheet برای پروندهٔ خانوارها است و --applicants-sheet برای پروندهٔ متقاضیان)
cli-error-no-such-sheet = { $message }: یکی را با --sheet (خانوارها) یا --applicants-sheet (متقاضیان) برگزینید
cli-error-first-sheet = { $message }؛ برای خواندن برگه‌ای دیگر، نام آن را با --sheet (خانوارها) یا --applicants-sheet (متقاضیان) بدهید

## پارامترهای بیرون از بازهٔ مجاز، با نام گزینه‌شان.
cli-config-target-size = ‏--target باید دست‌کم ۱ خانوار باشد
cli-config-tolerance = ‏--tolerance { $value } باید کسری در بازهٔ [۰، ۱) باشد، برای نمونه ۰٫۱ برای ±۱۰٪
cli-config-catchments = ‏--catchments باید دست‌کم ۱ باشد
cli-config-size-bounds = ‏--min-size { $min } از --max-size { $max } بزرگ‌تر است
cli-config-max-size = ‏--max-size باید دست‌کم ۱ باشد
cli-config-site-reach = ‏--site-reach { $metres } متر باید فاصله‌ای ۰ متر یا بیشتر باشد
cli-config-min-efficiency = ‏--min-efficiency { $value } باید در بازهٔ [۰، ۱] باشد (۱ = تنها محل‌هایی به خوبی مرکز آرمانی)
cli-config-stickiness = ‏--stickiness باید عددی ۰ یا بیشتر باشد، ولی { $value } داده شد
cli-config-access-radii = ‏--access-radii { $radii } باید ۱ تا ۸ فاصلهٔ مثبت به متر باشد، برای نمونه 1000,3000
cli-config-award-rule = ‏--award { $name }: باید «priority» یا «optimal» باشد
cli-config-objective = ‏--objective { $name }: باید «squared» یا «distance» باشد
cli-config-effort = ‏--effort باید عددی از ۰ تا ۱۰۰۰ باشد، ولی { $value } داده شد
cli-config-generate-none = ‏--n باید دست‌کم ۱ باشد
cli-config-encoding = ‏--encoding { $label }: کدگذاری شناخته نیست؛ نامی مانند utf-8، utf-16le یا windows-1256 به کار ببرید
cli-config-unknown-province = ‏--province: { $problem }
