# برچسب‌های راهنمای سبک‌های QGIS (`*.qml`)، یکی برای هر دسته: `qml-<layer>-<value>`.
# خود مقدارها هرگز تغییر نمی‌کنند.
qml-catchments-awarded = واگذارشده
qml-catchments-gap = حوزهٔ بی‌مرکز
qml-catchments-existing = مرکز موجود (بازبرنامه‌ریزی)
qml-catchments-new = حوزهٔ جدید
qml-catchments-re-tender = برای واگذاری دوباره
qml-centers-awarded-site = مکان واگذارشده
qml-centers-ideal-center = مرکز آرمانی (حوزهٔ بی‌مرکز، مکانی واگذار نشده)
qml-centers-existing = مرکز موجود (حفظ‌شده در بازبرنامه‌ریزی)
qml-proposals-awarded = واگذارشده
qml-proposals-outside-plan-area = بیرون از محدودهٔ طرح
qml-proposals-below-min-efficiency = کمتر از حداقل کارایی
qml-proposals-catchment-taken = حوزه به متقاضی دیگری رسید
qml-proposals-same-catchment = این حوزه پیش‌تر به همین متقاضی واگذار شده
qml-proposals-not-needed = متقاضی به سقف مراکز خود رسیده است
qml-proposals-not-chosen = در واگذاری بهینه انتخاب نشد
qml-proposals-ineligible = متقاضی واجد شرایط نیست
qml-proposals-served-already = حوزه هم‌اکنون مرکزی فعال دارد
