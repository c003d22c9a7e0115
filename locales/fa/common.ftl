# واژه‌ها و ارقام مشترک.
regions-planned = { $regions } منطقه
