//! When the approved posts go out: slots from `clipper.toml`'s
//! `[schedule]` (weekdays, times of day, the client's time zone, a gap
//! between posts, a first day), computed in the client's zone with `jiff`
//! so that daylight-saving changes land on the wall-clock time the client
//! asked for.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{ToSpan, ZonedDateTime};

use crate::config::Schedule;

/// A schedule, checked and ready to hand out slots.
#[derive(Debug, Clone)]
pub struct Slots {
    zone: TimeZone,
    weekdays: Vec<Weekday>,
    times: Vec<Time>,
    gap_minutes: i64,
    day: Date,
    next_time: usize,
    last: Option<ZonedDateTime>,
}

/// A weekday from its short or long English name.
fn weekday(name: &str) -> Option<Weekday> {
    let n = name.trim().to_ascii_lowercase();
    let all = [
        ("mon", Weekday::Monday),
        ("tue", Weekday::Tuesday),
        ("wed", Weekday::Wednesday),
        ("thu", Weekday::Thursday),
        ("fri", Weekday::Friday),
        ("sat", Weekday::Saturday),
        ("sun", Weekday::Sunday),
    ];
    all.iter()
        .find(|(short, _)| n.len() >= 3 && short.starts_with(&n[..3]))
        .map(|(_, d)| *d)
}

impl Slots {
    /// Checks `s`: a known IANA zone, at least one weekday and time, times
    /// `HH:MM`, a start `YYYY-MM-DD`. `today` is the export's day in the
    /// client's zone when `s` has no start (the first slot is then the day
    /// after). The error says which key is wrong.
    pub fn new(s: &Schedule, today: Option<Date>) -> Result<Slots, String> {
        let zone = TimeZone::get(&s.time_zone).map_err(|_| {
            format!(
                "schedule.time_zone: {:?} is not an IANA time zone (e.g. Europe/Berlin)",
                s.time_zone
            )
        })?;
        let weekdays = s
            .weekdays
            .iter()
            .map(|w| {
                weekday(w)
                    .ok_or_else(|| format!("schedule.weekdays: {w:?} is not a weekday (mon … sun)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut times = s
            .times
            .iter()
            .map(|t| {
                t.parse::<Time>()
                    .map_err(|_| format!("schedule.times: {t:?} is not a time of day (HH:MM)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        times.sort();
        if weekdays.is_empty() || times.is_empty() {
            return Err("schedule: needs at least one of weekdays and one of times".into());
        }
        let day = match &s.start {
            Some(d) => d
                .parse::<Date>()
                .map_err(|_| format!("schedule.start: {d:?} is not a date (YYYY-MM-DD)"))?,
            None => {
                let today = today
                    .unwrap_or_else(|| ZonedDateTime::now().with_time_zone(zone.clone()).date());
                today.tomorrow().map_err(|e| e.to_string())?
            }
        };
        Ok(Slots {
            zone,
            weekdays,
            times,
            gap_minutes: i64::from(s.gap_minutes),
            day,
            next_time: 0,
            last: None,
        })
    }

    /// The next slot: the earliest time on an allowed weekday, from the
    /// start on, at least the gap after the slot before.
    pub fn next_slot(&mut self) -> ZonedDateTime {
        loop {
            if self.next_time >= self.times.len() {
                self.next_time = 0;
                self.day = self.day.tomorrow().expect("a date before the year 9999");
            }
            if !self.weekdays.contains(&self.day.weekday()) {
                self.next_time = self.times.len();
                continue;
            }
            let time = self.times[self.next_time];
            self.next_time += 1;
            let Ok(at) = self
                .day
                .to_datetime(time)
                .to_zoned_datetime(self.zone.clone())
            else {
                continue;
            };
            let far_enough = self.last.as_ref().is_none_or(|last| {
                let earliest = last
                    .checked_add(self.gap_minutes.minutes())
                    .unwrap_or(last.clone());
                at >= earliest
            });
            if far_enough {
                self.last = Some(at.clone());
                return at;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(start: &str) -> Schedule {
        Schedule {
            time_zone: "Europe/Berlin".into(),
            weekdays: vec!["mon".into(), "wed".into(), "friday".into()],
            times: vec!["17:30".into(), "09:00".into(), "10:00".into()],
            gap_minutes: 120,
            start: Some(start.into()),
        }
    }

    #[test]
    fn slots_follow_weekdays_times_and_the_gap() {
        // 2026-10-23 is a Friday; Berlin leaves summer time on the 25th.
        let mut s = Slots::new(&schedule("2026-10-23"), None).unwrap();
        let got: Vec<String> = (0..5)
            .map(|_| s.next_slot().strftime("%a %Y-%m-%d %H:%M %z").to_string())
            .collect();
        assert_eq!(
            got,
            [
                "Fri 2026-10-23 09:00 +0200",
                // 10:00 is within the 2 h gap
                "Fri 2026-10-23 17:30 +0200",
                "Mon 2026-10-26 09:00 +0100",
                "Mon 2026-10-26 17:30 +0100",
                "Wed 2026-10-28 09:00 +0100",
            ]
        );
    }

    #[test]
    fn wrong_keys_are_named() {
        let mut bad = schedule("2026-10-23");
        bad.time_zone = "Mars/Olympus".into();
        assert!(Slots::new(&bad, None).unwrap_err().contains("time_zone"));
        let mut bad = schedule("2026-10-23");
        bad.times = vec!["9am".into()];
        assert!(Slots::new(&bad, None)
            .unwrap_err()
            .contains("schedule.times"));
        let mut bad = schedule("2026-10-23");
        bad.weekdays = vec!["someday".into()];
        assert!(Slots::new(&bad, None).unwrap_err().contains("weekdays"));
    }
}
