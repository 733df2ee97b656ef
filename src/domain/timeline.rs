//! What the records may say about time. A record that something happened (a visit, a reply, a
//! follow-up, a session, a conclusion, a research note, a submission, a sign-in, an activity)
//! is never in the future beyond a small tolerance, and never before the step it follows;
//! planned things (a meeting's date, a shift, a deadline, a due date) may be in the future.
//! Every kind's rules ask these checks, so the desk, the command line and the demo obey the
//! same ones; a refusal names the field and both moments.

use chrono::{Duration, NaiveDate, NaiveDateTime};

/// How far past the desk's clock a time that happened may be typed: a PC clock a few minutes
/// behind, a visit typed as 10:00 at 9:55.
pub const FUTURE_TOLERANCE: Duration = Duration::minutes(15);

/// Why a date or time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeRefusal {
    /// `field` says it happened at `at`, which is after `now`.
    Future {
        field: &'static str,
        at: NaiveDateTime,
        now: NaiveDateTime,
    },
    /// `field` on `at` is before `follows`, the day of `step`, which it follows.
    Before {
        field: &'static str,
        at: NaiveDate,
        step: Step,
        follows: NaiveDate,
    },
}

impl TimeRefusal {
    /// The field the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            TimeRefusal::Future { field, .. } | TimeRefusal::Before { field, .. } => field,
        }
    }
}

/// The steps a later step may follow, by name (their words are the locale's `step.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 来访
    Visit,
    /// 转交有关部门
    Referral,
    /// 答复
    Reply,
    /// 受理
    Acceptance,
    /// 调解
    Session,
    /// 结案
    Conclusion,
    /// 回访
    FollowUp,
    /// 确定议题
    Decision,
    /// 协商会议
    Meeting,
    /// 报送
    Submission,
}

named_enum!(Step, "step", [
    Visit => "visit",
    Referral => "referral",
    Reply => "reply",
    Acceptance => "acceptance",
    Session => "session",
    Conclusion => "conclusion",
    FollowUp => "follow_up",
    Decision => "decision",
    Meeting => "meeting",
    Submission => "submission",
]);

/// The latest moment a thing that happened may be said to have happened, as of `now`.
fn latest(now: NaiveDateTime) -> NaiveDateTime {
    now.checked_add_signed(FUTURE_TOLERANCE)
        .unwrap_or(NaiveDateTime::MAX)
}

/// A time something happened: at most [`FUTURE_TOLERANCE`] after `now`.
pub fn happened_at(
    field: &'static str,
    at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), TimeRefusal> {
    if at > latest(now) {
        return Err(TimeRefusal::Future { field, at, now });
    }
    Ok(())
}

/// A day something happened: not after today (the tolerance reaches into tomorrow only in the
/// last minutes of a day).
pub fn happened_on(
    field: &'static str,
    on: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), TimeRefusal> {
    if on > latest(now).date() {
        return Err(TimeRefusal::Future {
            field,
            at: on.and_time(chrono::NaiveTime::MIN),
            now,
        });
    }
    Ok(())
}

/// A day that follows `step` on `follows`: not before it.
pub fn not_before(
    field: &'static str,
    on: NaiveDate,
    step: Step,
    follows: NaiveDate,
) -> Result<(), TimeRefusal> {
    if on < follows {
        return Err(TimeRefusal::Before {
            field,
            at: on,
            step,
            follows,
        });
    }
    Ok(())
}

/// A day that happened and follows `step`: both checks, the future first.
pub fn happened_after(
    field: &'static str,
    on: NaiveDate,
    now: NaiveDateTime,
    step: Step,
    follows: NaiveDate,
) -> Result<(), TimeRefusal> {
    happened_on(field, on, now)?;
    not_before(field, on, step, follows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn a_time_that_happened_may_be_a_little_ahead_of_the_clock_only() {
        let now = at(2026, 12, 3, 12, 2);
        assert_eq!(
            happened_at("visited_at", at(2026, 12, 3, 12, 17), now),
            Ok(())
        );
        assert_eq!(
            happened_at("visited_at", at(2026, 12, 3, 13, 47), now),
            Err(TimeRefusal::Future {
                field: "visited_at",
                at: at(2026, 12, 3, 13, 47),
                now
            })
        );
        assert!(happened_at("visited_at", at(2027, 1, 5, 9, 0), now).is_err());
        assert_eq!(
            happened_at("visited_at", at(2026, 12, 2, 23, 59), now),
            Ok(())
        );
    }

    #[test]
    fn a_day_that_happened_is_today_at_the_latest() {
        let now = at(2026, 12, 3, 12, 0);
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert_eq!(happened_on("on", day(12, 3), now), Ok(()));
        assert!(happened_on("on", day(12, 4), now).is_err());
        // Across the year and in the last minutes of a day.
        let eve = at(2026, 12, 31, 23, 50);
        assert_eq!(
            happened_on(
                "on",
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default(),
                eve
            ),
            Ok(())
        );
        assert!(happened_on(
            "on",
            NaiveDate::from_ymd_opt(2027, 1, 2).unwrap_or_default(),
            eve
        )
        .is_err());
        // 29 February of a leap year.
        let leap = at(2028, 2, 29, 9, 0);
        assert_eq!(happened_on("on", leap.date(), leap), Ok(()));
        assert!(happened_on(
            "on",
            NaiveDate::from_ymd_opt(2028, 3, 1).unwrap_or_default(),
            leap
        )
        .is_err());
    }

    #[test]
    fn a_step_is_never_before_the_step_it_follows() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert_eq!(
            not_before("on", day(11, 5), Step::Reply, day(11, 5)),
            Ok(())
        );
        assert_eq!(
            not_before("on", day(11, 4), Step::Reply, day(11, 5)),
            Err(TimeRefusal::Before {
                field: "on",
                at: day(11, 4),
                step: Step::Reply,
                follows: day(11, 5)
            })
        );
        let now = at(2026, 11, 20, 9, 0);
        // The future is said first: it is the more surprising mistake.
        assert!(matches!(
            happened_after("on", day(11, 25), now, Step::Visit, day(11, 30)),
            Err(TimeRefusal::Future { .. })
        ));
    }
}
