//! The editable choice lists kept in `assets/lists/` (one entry a line, `#` starts a comment).

/// 界别: the committee's sectors.
pub const SECTORS: &str = include_str!("../../assets/lists/sectors.txt");
/// 政治面貌: party affiliations.
pub const PARTIES: &str = include_str!("../../assets/lists/parties.txt");

/// 诉求类别: request categories of intakes.
pub const CATEGORIES: &str = include_str!("../../assets/lists/categories.txt");

/// 纠纷类型: dispute types of mediation cases.
pub const DISPUTE_TYPES: &str = include_str!("../../assets/lists/dispute_types.txt");

/// 履职活动类型: the kinds of members' activities.
pub const ACTIVITY_KINDS: &str = include_str!("../../assets/lists/activity_kinds.txt");

/// 节假日与调休: public holidays and make-up working days.
pub const HOLIDAYS: &str = include_str!("../../assets/lists/holidays.txt");

/// The built-in text of a list by its file name (`sectors`, `parties`).
pub fn builtin(name: &str) -> Option<&'static str> {
    match name {
        "sectors" => Some(SECTORS),
        "parties" => Some(PARTIES),
        "categories" => Some(CATEGORIES),
        "dispute_types" => Some(DISPUTE_TYPES),
        "holidays" => Some(HOLIDAYS),
        "activity_kinds" => Some(ACTIVITY_KINDS),
        _ => None,
    }
}

/// The entries of a list file's text.
pub fn entries(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_skip_comments_and_blanks() {
        assert_eq!(
            entries("# head\n\n 经济界 \n教育界\n"),
            vec!["经济界", "教育界"]
        );
        assert!(entries(SECTORS).contains(&"医药卫生界".to_string()));
        assert!(entries(PARTIES).contains(&"中共党员".to_string()));
    }
}
