//! The Solar Hijri (Jalali) calendar of Iranian offices, for dating plans in Persian.
//!
//! Years follow the 33-year cycle that matches the astronomical calendar (the year starts at
//! the vernal equinox in Tehran) from 1210 to 1634 AP (1831–2255 CE): a year is leap when
//! its remainder by 33 is 1, 5, 9, 13, 17, 22, 26 or 30. Days are counted from a fixed
//! anchor, 1 Farvardin 1405 = 21 March 2026, so the conversion is exact arithmetic; the
//! tests check it against dates published in both calendars.

/// The months of the Solar Hijri year, in Persian.
const MONTHS_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// A Solar Hijri date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolarHijri {
    /// The year (AP): 1405 for most of 2026.
    pub year: i64,
    /// The month, 1 (Farvardin) to 12 (Esfand).
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
}

/// Days from 1970-01-01 to the proleptic Gregorian date `year-month-day` (H. Hinnant).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// True when Solar Hijri `year` has 366 days (30 Esfand).
pub fn is_leap(year: i64) -> bool {
    matches!(year.rem_euclid(33), 1 | 5 | 9 | 13 | 17 | 22 | 26 | 30)
}

fn year_days(year: i64) -> i64 {
    if is_leap(year) { 366 } else { 365 }
}

/// The anchor: 1 Farvardin 1405 fell on 21 March 2026.
const ANCHOR_YEAR: i64 = 1405;

impl SolarHijri {
    /// The Solar Hijri date of Gregorian `year-month-day`; `None` for a date that does not
    /// exist in the Gregorian calendar.
    ///
    /// ```
    /// use siting::lang::SolarHijri;
    /// let d = SolarHijri::from_gregorian(2026, 12, 2).unwrap();
    /// assert_eq!((d.year, d.month, d.day), (1405, 9, 11)); // 11 Azar 1405
    /// ```
    pub fn from_gregorian(year: i64, month: u32, day: u32) -> Option<SolarHijri> {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&month) || day == 0 || day > month_days[month as usize - 1] {
            return None;
        }
        let mut offset = days_from_civil(year, month, day) - days_from_civil(2026, 3, 21);
        let mut y = ANCHOR_YEAR;
        while offset < 0 {
            y -= 1;
            offset += year_days(y);
        }
        while offset >= year_days(y) {
            offset -= year_days(y);
            y += 1;
        }
        // Six months of 31 days, five of 30, then Esfand's 29 or 30.
        let (month, day) = if offset < 186 {
            (offset / 31 + 1, offset % 31 + 1)
        } else {
            ((offset - 186) / 30 + 7, (offset - 186) % 30 + 1)
        };
        Some(SolarHijri {
            year: y,
            month: month as u32,
            day: day as u32,
        })
    }

    /// The date of an ISO `YYYY-MM-DD` string; `None` when it is not one.
    pub fn from_iso(iso: &str) -> Option<SolarHijri> {
        let mut parts = iso.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        SolarHijri::from_gregorian(year, month, day)
    }

    /// The month's Persian name: `آذر` for month 9.
    pub fn month_name(self) -> &'static str {
        MONTHS_FA[(self.month as usize).clamp(1, 12) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::SolarHijri;

    fn jalali(y: i64, m: u32, d: u32) -> (i64, u32, u32) {
        let s = SolarHijri::from_gregorian(y, m, d).expect("a real date");
        (s.year, s.month, s.day)
    }

    /// Dates published in both calendars (national days, new years, the issue's example).
    #[test]
    fn known_dates() {
        assert_eq!(jalali(2026, 12, 2), (1405, 9, 11));
        assert_eq!(jalali(2026, 3, 21), (1405, 1, 1));
        assert_eq!(jalali(2026, 3, 20), (1404, 12, 29));
        assert_eq!(jalali(2025, 3, 21), (1404, 1, 1));
        assert_eq!(jalali(2025, 3, 20), (1403, 12, 30)); // 1403 is leap
        assert_eq!(jalali(2024, 3, 20), (1403, 1, 1));
        assert_eq!(jalali(2021, 3, 21), (1400, 1, 1));
        assert_eq!(jalali(2021, 3, 20), (1399, 12, 30)); // 1399 is leap
        assert_eq!(jalali(2000, 1, 1), (1378, 10, 11));
        assert_eq!(jalali(1979, 2, 11), (1357, 11, 22)); // 22 Bahman
        assert_eq!(jalali(1989, 6, 4), (1368, 3, 14)); // 14 Khordad
        assert_eq!(jalali(2016, 3, 20), (1395, 1, 1));
        assert_eq!(jalali(1990, 3, 21), (1369, 1, 1));
        assert_eq!(jalali(2030, 3, 20), (1408, 12, 30)); // 1408 is leap
    }

    #[test]
    fn every_day_follows_the_previous_one() {
        let mut prev = SolarHijri::from_gregorian(1950, 1, 1).unwrap();
        let mut count = 0;
        for year in 1950..2100 {
            for month in 1..=12 {
                for day in 1..=31 {
                    let Some(d) = SolarHijri::from_gregorian(year, month, day) else {
                        continue;
                    };
                    if count > 0 {
                        let next = if prev.day < 29
                            || (prev.month <= 6 && prev.day < 31)
                            || (prev.month > 6 && prev.month < 12 && prev.day < 30)
                            || (prev.month == 12
                                && prev.day < 29 + u32::from(super::is_leap(prev.year)))
                        {
                            (prev.year, prev.month, prev.day + 1)
                        } else if prev.month < 12 {
                            (prev.year, prev.month + 1, 1)
                        } else {
                            (prev.year + 1, 1, 1)
                        };
                        assert_eq!((d.year, d.month, d.day), next, "after {prev:?}");
                    }
                    prev = d;
                    count += 1;
                }
            }
        }
        assert_eq!(count, 54_787);
    }

    #[test]
    fn not_dates() {
        assert!(SolarHijri::from_gregorian(2025, 2, 29).is_none());
        assert!(SolarHijri::from_iso("2026-13-01").is_none());
        assert!(SolarHijri::from_iso("today").is_none());
        assert_eq!(
            SolarHijri::from_iso("2024-02-29").map(|d| d.month),
            Some(12)
        );
    }
}
