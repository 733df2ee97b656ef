//! The year's assessment of members (委员年度履职考核): yearly minimums, points for work done
//! with caps, deductions, a base and the grades 优秀 / 称职 / 不称职. The rules are a station
//! file (`assets/lists/assessment.toml`, overridable beside the database); this module reads
//! them and applies them to a member's record, keeping why each point was given.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::performance::{is_figure, MemberRecord};

/// The rules built into the program.
pub const BUILTIN_RULES: &str = include_str!("../../assets/lists/assessment.toml");

/// One figure or several added up.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
enum Count {
    One(String),
    Many(Vec<String>),
}

impl Count {
    fn figures(self) -> Vec<String> {
        match self {
            Count::One(f) => vec![f],
            Count::Many(fs) => fs,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    base: i64,
    #[serde(default)]
    unmet_minimum: i64,
    grades: GradesFile,
    #[serde(default)]
    minimum: Vec<MinimumFile>,
    #[serde(default)]
    points: Vec<PointsFile>,
    #[serde(default)]
    deduction: Vec<PointsFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GradesFile {
    excellent: i64,
    pass: i64,
    #[serde(default)]
    excellent_needs_every_minimum: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinimumFile {
    name: String,
    count: Count,
    at_least: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointsFile {
    name: String,
    count: Count,
    each: i64,
    cap: Option<i64>,
}

/// A yearly minimum: at least `at_least` of the figures added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Minimum {
    pub name: String,
    pub figures: Vec<String>,
    pub at_least: i64,
}

/// Points per item of the figures added up, to at most `cap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointRule {
    pub name: String,
    pub figures: Vec<String>,
    pub each: i64,
    pub cap: Option<i64>,
}

/// The rules, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub base: i64,
    pub unmet_minimum: i64,
    pub excellent: i64,
    pub pass: i64,
    pub excellent_needs_every_minimum: bool,
    pub minimums: Vec<Minimum>,
    pub points: Vec<PointRule>,
    pub deductions: Vec<PointRule>,
}

/// Why a rules file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// Not TOML, or not the shape of a rules file; the parser's words, with the line.
    #[error("{0}")]
    Syntax(String),
    #[error("rule {rule}: no figure is called {figure}")]
    UnknownFigure { rule: String, figure: String },
    #[error("rule {rule}: counts nothing")]
    NoFigure { rule: String },
    #[error("rule {rule}: points, caps and minimums cannot be negative")]
    Negative { rule: String },
    #[error("the pass mark is above the mark for excellent")]
    Thresholds,
}

impl RulesError {
    /// The message key in the locale files.
    pub fn key(&self) -> &'static str {
        match self {
            RulesError::Syntax(_) => "assess.error_syntax",
            RulesError::UnknownFigure { .. } => "assess.error_figure",
            RulesError::NoFigure { .. } => "assess.error_no_figure",
            RulesError::Negative { .. } => "assess.error_negative",
            RulesError::Thresholds => "assess.error_thresholds",
        }
    }
}

fn checked_figures(rule: &str, count: Count) -> Result<Vec<String>, RulesError> {
    let figures: Vec<String> = count
        .figures()
        .into_iter()
        .map(|f| f.trim().to_string())
        .collect();
    if figures.is_empty() {
        return Err(RulesError::NoFigure {
            rule: rule.to_string(),
        });
    }
    if let Some(bad) = figures.iter().find(|f| !is_figure(f)) {
        return Err(RulesError::UnknownFigure {
            rule: rule.to_string(),
            figure: bad.clone(),
        });
    }
    Ok(figures)
}

fn point_rule(file: PointsFile) -> Result<PointRule, RulesError> {
    if file.each < 0 || file.cap.is_some_and(|c| c < 0) {
        return Err(RulesError::Negative { rule: file.name });
    }
    Ok(PointRule {
        figures: checked_figures(&file.name, file.count)?,
        name: file.name,
        each: file.each,
        cap: file.cap,
    })
}

impl Rules {
    /// Reads and checks a rules file.
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let file: RulesFile =
            toml::from_str(text).map_err(|e| RulesError::Syntax(e.to_string()))?;
        if file.grades.pass > file.grades.excellent {
            return Err(RulesError::Thresholds);
        }
        if file.unmet_minimum < 0 {
            return Err(RulesError::Negative {
                rule: "unmet_minimum".into(),
            });
        }
        let minimums = file
            .minimum
            .into_iter()
            .map(|m| {
                if m.at_least < 0 {
                    return Err(RulesError::Negative { rule: m.name });
                }
                Ok(Minimum {
                    figures: checked_figures(&m.name, m.count)?,
                    name: m.name,
                    at_least: m.at_least,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Rules {
            base: file.base,
            unmet_minimum: file.unmet_minimum,
            excellent: file.grades.excellent,
            pass: file.grades.pass,
            excellent_needs_every_minimum: file.grades.excellent_needs_every_minimum,
            minimums,
            points: file
                .points
                .into_iter()
                .map(point_rule)
                .collect::<Result<_, _>>()?,
            deductions: file
                .deduction
                .into_iter()
                .map(point_rule)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The rules built into the program (they are checked by the tests).
    pub fn builtin() -> Rules {
        Rules::parse(BUILTIN_RULES).unwrap_or(Rules {
            base: 60,
            unmet_minimum: 0,
            excellent: 90,
            pass: 60,
            excellent_needs_every_minimum: false,
            minimums: Vec::new(),
            points: Vec::new(),
            deductions: Vec::new(),
        })
    }

    /// Applies the rules to a member's record.
    pub fn assess(&self, record: &MemberRecord) -> Assessment {
        let sum = |figures: &[String]| -> i64 {
            figures.iter().map(|f| record.figure(f).unwrap_or(0)).sum()
        };
        let minimums: Vec<MinimumResult> = self
            .minimums
            .iter()
            .map(|m| {
                let count = sum(&m.figures);
                let by = m
                    .figures
                    .iter()
                    .map(|f| (f.clone(), record.figure(f).unwrap_or(0)))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                MinimumResult {
                    name: m.name.clone(),
                    count,
                    at_least: m.at_least,
                    met: count >= m.at_least,
                    by,
                }
            })
            .collect();
        let line = |rule: &PointRule| {
            let count = sum(&rule.figures);
            let raw = count.saturating_mul(rule.each);
            let points = rule.cap.map_or(raw, |cap| raw.min(cap));
            PointLine {
                name: rule.name.clone(),
                count,
                each: rule.each,
                cap: rule.cap,
                points,
            }
        };
        let points: Vec<PointLine> = self.points.iter().map(line).collect();
        let deductions: Vec<PointLine> = self.deductions.iter().map(line).collect();
        let unmet = minimums.iter().filter(|m| !m.met).count() as i64;
        let unmet_deduction = unmet * self.unmet_minimum;
        let total = self.base + points.iter().map(|p| p.points).sum::<i64>()
            - deductions.iter().map(|p| p.points).sum::<i64>()
            - unmet_deduction;
        let every_minimum = unmet == 0;
        let grade =
            if total >= self.excellent && (every_minimum || !self.excellent_needs_every_minimum) {
                Grade::Excellent
            } else if total >= self.pass {
                Grade::Competent
            } else {
                Grade::Incompetent
            };
        Assessment {
            member_id: record.member_id,
            name: record.name.clone(),
            sector: record.sector.clone(),
            base: self.base,
            minimums,
            points,
            deductions,
            unmet_deduction,
            total,
            grade,
            held_back: total >= self.excellent && grade != Grade::Excellent,
        }
    }
}

/// 优秀 / 称职 / 不称职
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Excellent,
    Competent,
    Incompetent,
}

named_enum!(Grade, "grade", [
    Excellent => "excellent",
    Competent => "competent",
    Incompetent => "incompetent",
]);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinimumResult {
    pub name: String,
    pub count: i64,
    pub at_least: i64,
    pub met: bool,
    /// Which figures counted toward it, and how many each (those with none left out): the
    /// record shows what met the minimum.
    pub by: Vec<(String, i64)>,
}

/// One line of why: the items counted, the points each, the cap, the points given (or taken).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointLine {
    pub name: String,
    pub count: i64,
    pub each: i64,
    pub cap: Option<i64>,
    pub points: i64,
}

/// A member's assessment for the year, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub member_id: Uuid,
    pub name: String,
    pub sector: String,
    pub base: i64,
    pub minimums: Vec<MinimumResult>,
    pub points: Vec<PointLine>,
    pub deductions: Vec<PointLine>,
    /// Taken off for the minimums not met.
    pub unmet_deduction: i64,
    pub total: i64,
    pub grade: Grade,
    /// Enough points for 优秀, held back by a minimum not met.
    pub held_back: bool,
}

impl Assessment {
    pub fn minimums_met(&self) -> usize {
        self.minimums.iter().filter(|m| m.met).count()
    }

    /// Behind: a minimum not met, or below the pass mark.
    pub fn is_behind(&self) -> bool {
        self.grade == Grade::Incompetent || self.minimums.iter().any(|m| !m.met)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::performance::Period;

    fn record() -> MemberRecord {
        MemberRecord::empty(Uuid::from_u128(7), "李秀兰", "教育界", Period::Year(2026))
    }

    const SMALL: &str = r#"
base = 60
unmet_minimum = 5
[grades]
excellent = 90
pass = 60
excellent_needs_every_minimum = true
[[minimum]]
name = "提案"
count = "activity:提案"
at_least = 1
[[minimum]]
name = "视察或调研"
count = ["activity:视察", "activity:调研"]
at_least = 1
[[points]]
name = "出席会议"
count = "consultations.present"
each = 3
cap = 12
[[points]]
name = "值班到岗"
count = "duty.served"
each = 1
[[deduction]]
name = "缺席会议"
count = "consultations.absent"
each = 4
cap = 8
"#;

    #[test]
    fn a_research_note_meets_the_inspection_or_research_minimum_and_says_so() {
        let rules = Rules::builtin();
        let mut r = record();
        let unmet = rules.assess(&r);
        let minimum = |a: &Assessment| {
            a.minimums
                .iter()
                .find(|m| m.name == "参加视察或调研")
                .cloned()
                .unwrap_or_else(|| panic!("the minimum is in the built-in rules"))
        };
        assert!(!minimum(&unmet).met);
        assert!(minimum(&unmet).by.is_empty());
        // A topic's research note that names her, and nothing else.
        r.research = 1;
        let met = rules.assess(&r);
        assert!(minimum(&met).met);
        assert_eq!(minimum(&met).by, vec![("research.notes".to_string(), 1)]);
        // Two kinds at once are both named.
        r.count_activity("视察");
        assert_eq!(
            minimum(&rules.assess(&r)).by,
            vec![
                ("activity:视察".to_string(), 1),
                ("research.notes".to_string(), 1)
            ]
        );
    }

    #[test]
    fn the_builtin_rules_are_sound() {
        let rules = Rules::parse(BUILTIN_RULES).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rules.base, 60);
        assert_eq!(rules.minimums.len(), 5);
        assert_eq!(Rules::builtin(), rules);
    }

    #[test]
    fn each_count_adds_its_figures_and_caps_limit_points() {
        let rules = Rules::parse(SMALL).unwrap_or_else(|e| panic!("{e}"));
        let mut r = record();
        r.count_activity("视察");
        r.count_activity("调研");
        r.meetings.present = 5; // 15 points, capped at 12
        r.meetings.absent = 3; // 12 taken, capped at 8
        r.duty.served = 7;
        let a = rules.assess(&r);
        assert_eq!(a.minimums[0].count, 0);
        assert!(!a.minimums[0].met);
        assert_eq!(a.minimums[1].count, 2);
        assert!(a.minimums[1].met);
        assert_eq!(a.points[0].points, 12);
        assert_eq!(a.points[1].points, 7);
        assert_eq!(a.deductions[0].points, 8);
        assert_eq!(a.unmet_deduction, 5);
        assert_eq!(a.total, 60 + 12 + 7 - 8 - 5);
        assert_eq!(a.grade, Grade::Competent);
        assert!(a.is_behind());
    }

    #[test]
    fn the_pass_mark_is_at_sixty_not_below() {
        let rules = Rules::parse(SMALL).unwrap_or_else(|e| panic!("{e}"));
        let mut r = record();
        r.count_activity("提案");
        r.count_activity("视察");
        r.meetings.absent = 1; // 60 - 4 = 56
        r.duty.served = 3; // 59
        assert_eq!(rules.assess(&r).total, 59);
        assert_eq!(rules.assess(&r).grade, Grade::Incompetent);
        r.duty.served = 4;
        assert_eq!(rules.assess(&r).total, 60);
        assert_eq!(rules.assess(&r).grade, Grade::Competent);
    }

    #[test]
    fn excellent_needs_the_points_and_every_minimum() {
        let rules = Rules::parse(SMALL).unwrap_or_else(|e| panic!("{e}"));
        let mut r = record();
        r.count_activity("视察");
        r.duty.served = 35; // 60 + 35 - 5 = 90, but the proposal is missing
        let a = rules.assess(&r);
        assert_eq!(a.total, 90);
        assert_eq!(a.grade, Grade::Competent);
        assert!(a.held_back);
        r.count_activity("提案"); // 95, every minimum met
        assert_eq!(rules.assess(&r).grade, Grade::Excellent);
        r.duty.served = 29; // 89
        assert_eq!(rules.assess(&r).total, 89);
        assert_eq!(rules.assess(&r).grade, Grade::Competent);
    }

    #[test]
    fn a_changed_rules_file_changes_the_result() {
        let r = {
            let mut r = record();
            r.count_activity("提案");
            r.count_activity("调研");
            r.meetings.present = 2;
            r
        };
        let before = Rules::parse(SMALL).unwrap_or_else(|e| panic!("{e}"));
        let after = Rules::parse(&SMALL.replace("each = 3\ncap = 12", "each = 20\ncap = 40"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before.assess(&r).total, 66);
        assert_eq!(before.assess(&r).grade, Grade::Competent);
        assert_eq!(after.assess(&r).total, 100);
        assert_eq!(after.assess(&r).grade, Grade::Excellent);
    }

    #[test]
    fn bad_rules_are_refused_with_the_reason() {
        let unknown = SMALL.replace("consultations.present", "consultations.presnt");
        assert_eq!(
            Rules::parse(&unknown),
            Err(RulesError::UnknownFigure {
                rule: "出席会议".into(),
                figure: "consultations.presnt".into()
            })
        );
        let syntax = Rules::parse("base = ");
        assert!(
            matches!(syntax, Err(RulesError::Syntax(ref m)) if m.contains("line 1")),
            "{syntax:?}"
        );
        let typo = Rules::parse(&SMALL.replace("at_least", "atleast"));
        assert!(matches!(typo, Err(RulesError::Syntax(_))), "{typo:?}");
        assert_eq!(
            Rules::parse(&SMALL.replace("pass = 60", "pass = 95")),
            Err(RulesError::Thresholds)
        );
        assert_eq!(
            Rules::parse(&SMALL.replace("each = 4", "each = -4")),
            Err(RulesError::Negative {
                rule: "缺席会议".into()
            })
        );
        assert!(matches!(
            Rules::parse(&SMALL.replace("count = \"duty.served\"", "count = []")),
            Err(RulesError::NoFigure { .. })
        ));
    }
}
