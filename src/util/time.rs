//! Time formats, one function per format. Positions in an episode are
//! rounded down (a listener who jumps to 1:23 hears the moment at 1:23.9);
//! lengths are rounded to the nearest second; subtitle and console stamps
//! keep milliseconds.

/// A subtitle cue time, `HH:MM:SS,mmm` (SRT).
pub fn srt(seconds: f64) -> String {
    cue(seconds, ',')
}

/// A subtitle cue time, `HH:MM:SS.mmm` (WebVTT).
pub fn vtt(seconds: f64) -> String {
    cue(seconds, '.')
}

fn cue(seconds: f64, sep: char) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}{sep}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A precise position for people, `MM:SS.mmm`, or `H:MM:SS.mmm` from an
/// hour on (console transcripts, transcript.txt).
pub fn timestamp(seconds: f64) -> String {
    let ms = (seconds.max(0.0) * 1000.0).round() as u64;
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{milli:03}")
    } else {
        format!("{m:02}:{s:02}.{milli:03}")
    }
}

/// A position in the episode, `mm:ss`, or `h:mm:ss` from an hour on, whole
/// seconds rounded down (the review sheet, drafts, review.md).
pub fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).floor() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// A span of the episode, `mm:ss–mm:ss`.
pub fn clock_range(start: f64, end: f64) -> String {
    format!("{}–{}", clock(start), clock(end))
}

/// A length, `M:SS`, or `H:MM:SS` from an hour on, rounded to the nearest
/// second (durations and wall times in messages and indexes).
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The current time, RFC 3339 UTC to the second (decision history, run
/// and failure records).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// `secs` since 1970-01-01 UTC as RFC 3339 (`2026-12-01T09:41:44Z`).
pub fn rfc3339(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // civil-from-days (proleptic Gregorian), days since 1970-01-01
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format() {
        assert_eq!(srt(3723.0045), "01:02:03,005");
        assert_eq!(vtt(0.5), "00:00:00.500");
        assert_eq!(timestamp(0.0), "00:00.000");
        assert_eq!(timestamp(61.5), "01:01.500");
        assert_eq!(timestamp(3723.004), "1:02:03.004");
        assert_eq!(clock(0.0), "00:00");
        assert_eq!(clock(59.9), "00:59");
        assert_eq!(clock(600.0), "10:00");
        assert_eq!(clock(3600.0), "1:00:00");
        assert_eq!(clock_range(61.0, 75.5), "01:01–01:15");
        assert_eq!(duration(602.0), "10:02");
        assert_eq!(duration(59.6), "1:00");
        assert_eq!(duration(3723.0), "1:02:03");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_118_104), "2026-12-01T09:41:44Z");
    }
}
