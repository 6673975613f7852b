//! When the human team is available: `"mon-fri 08:00-20:00"` at a UTC offset.

use time::{OffsetDateTime, UtcOffset, Weekday};

#[derive(Debug, Clone, PartialEq)]
pub struct Hours {
    first_day: u8,
    last_day: u8,
    opens: (u8, u8),
    closes: (u8, u8),
    offset: UtcOffset,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "opening hours {0:?}: expected like \"mon-fri 08:00-20:00\" (days mon..sun, 24-hour times)"
)]
pub struct HoursError(pub String);

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day(s: &str) -> Option<u8> {
    DAYS.iter()
        .position(|d| d.eq_ignore_ascii_case(s))
        .map(|i| i as u8)
}

fn time_of(s: &str) -> Option<(u8, u8)> {
    let (h, m) = s.split_once(':')?;
    let (h, m) = (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some((h, m))
}

impl Hours {
    /// `spec` like `"mon-sat 08:00-20:00"` or `"mon 09:00-17:00"`; `offset_minutes` east of UTC.
    pub fn parse(spec: &str, offset_minutes: i32) -> Result<Hours, HoursError> {
        let bad = || HoursError(spec.to_string());
        let (days, times) = spec.trim().split_once(' ').ok_or_else(bad)?;
        let (first_day, last_day) = match days.split_once('-') {
            Some((a, b)) => (day(a).ok_or_else(bad)?, day(b).ok_or_else(bad)?),
            None => {
                let d = day(days).ok_or_else(bad)?;
                (d, d)
            }
        };
        let (opens, closes) = times.trim().split_once('-').ok_or_else(bad)?;
        let (opens, closes) = (
            time_of(opens).ok_or_else(bad)?,
            time_of(closes).ok_or_else(bad)?,
        );
        if opens >= closes {
            return Err(bad());
        }
        let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).map_err(|_| bad())?;
        Ok(Hours {
            first_day,
            last_day,
            opens,
            closes,
            offset,
        })
    }

    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        let local = now.to_offset(self.offset);
        let weekday = match local.weekday() {
            Weekday::Monday => 0,
            Weekday::Tuesday => 1,
            Weekday::Wednesday => 2,
            Weekday::Thursday => 3,
            Weekday::Friday => 4,
            Weekday::Saturday => 5,
            Weekday::Sunday => 6,
        };
        let in_days = if self.first_day <= self.last_day {
            (self.first_day..=self.last_day).contains(&weekday)
        } else {
            weekday >= self.first_day || weekday <= self.last_day
        };
        let t = (local.hour(), local.minute());
        in_days && t >= self.opens && t < self.closes
    }

    /// Opening and closing times, for the "outside hours" text.
    pub fn times(&self) -> ((u8, u8), (u8, u8)) {
        (self.opens, self.closes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn open_on_its_days_between_its_times() {
        let h = Hours::parse("mon-fri 08:00-20:00", 60).unwrap();
        // Monday 07:30 UTC is 08:30 at +01:00.
        assert!(h.is_open(datetime!(2026-11-23 07:30 UTC)));
        assert!(!h.is_open(datetime!(2026-11-23 06:30 UTC)));
        assert!(!h.is_open(datetime!(2026-11-23 19:00 UTC)));
        // Saturday.
        assert!(!h.is_open(datetime!(2026-11-28 10:00 UTC)));
        let weekend = Hours::parse("sat-sun 10:00-24:00", 0).unwrap();
        assert!(weekend.is_open(datetime!(2026-11-29 23:59 UTC)));
    }

    #[test]
    fn bad_specs_are_refused_with_the_expected_shape() {
        for bad in [
            "",
            "mon-fri",
            "mon-fri 8-20",
            "xyz 08:00-20:00",
            "mon 20:00-08:00",
            "mon 25:00-26:00",
        ] {
            let e = Hours::parse(bad, 0).unwrap_err();
            assert!(e.to_string().contains("mon-fri 08:00-20:00"), "{e}");
        }
    }
}
