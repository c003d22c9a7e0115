# «siting check»: بررسی ورودی‌ها بدون برنامه‌ریزی. هر پیام در یک سطر.
check-cannot-be-planned = نمی‌توان برای آن طرح ساخت: { $problem }
check-households = { $rows } ردیف، { $households } خانوار، { $regions } منطقه
check-applicants = { $applicants } متقاضی، { $proposals } پیشنهاد در { $path }
check-column-region = منطقه
check-column-rows = ردیف
check-column-households = خانوار
check-column-catchments = حوزه
check-column-sizes = اندازه‌ها
check-whole-file = (کل پرونده)
check-region-cannot-be-planned = نمی‌توان برای آن طرح ساخت: { $problem }
check-problem = ایراد: { $reason }
check-more-problems = … و { $more } ایراد دیگر
check-warning = هشدار: { $warning }
check-ok = درست است: siting plan با این ورودی‌ها انجام می‌شود
check-not-ok = درست نیست: siting plan متوقف می‌شود
check-not-ok-bad-rows = درست نیست: siting plan در نخستین ردیف از { $rows } ردیف نادرست متوقف می‌شود (یا بقیه را با --skip-invalid برنامه‌ریزی کنید)
