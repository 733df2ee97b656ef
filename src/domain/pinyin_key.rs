//! Pinyin search keys for names, so that `zs` and `zhangsan` find 张三.

use pinyin::ToPinyinMulti;

/// The search key of a name: full pinyin and initials, lower-case and space separated,
/// e.g. `张三` → `zhangsan zs`.
///
/// For heteronyms (单, 曾, 解 in surnames) every reading of each character is indexed: the key
/// holds the spelling of each combination of readings (at most [`MAX_COMBINATIONS`]).
pub fn search_key(name: &str) -> String {
    key_of(name, false)
}

/// Surnames whose reading as a surname differs from their common reading: 曾 is Zēng as a
/// surname, not céng. A person's name is sorted and found by this reading alone.
pub const SURNAME_READINGS: &[(char, &str)] = &[
    ('曾', "zeng"),
    ('单', "shan"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('覃', "qin"),
    ('尉', "yu"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('秘', "bi"),
    ('种', "chong"),
    ('重', "chong"),
    ('召', "shao"),
    ('折', "she"),
    ('宿', "su"),
    ('员', "yun"),
    ('句', "gou"),
    ('繁', "po"),
    ('冼', "xian"),
    ('洗', "xian"),
    ('隗', "wei"),
    ('郇', "huan"),
    ('黑', "he"),
    ('能', "nai"),
    ('粘', "nian"),
    ('蕃', "pi"),
    ('长', "zhang"),
    ('藏', "zang"),
    ('沈', "shen"),
    ('柏', "bai"),
    ('薄', "bo"),
    ('便', "pian"),
    ('华', "hua"),
    ('任', "ren"),
    ('纪', "ji"),
];

/// The search and sort key of a person's name: as [`search_key`], but the first character,
/// the surname, is read as a surname (`曾德华` → `zengdehua zdh`).
pub fn name_key(name: &str) -> String {
    key_of(name, true)
}

fn key_of(name: &str, surname_first: bool) -> String {
    let mut combos: Vec<(String, String)> = vec![(String::new(), String::new())];
    let first = name.trim_start().chars().next();
    let mut surname_done = !surname_first;
    for (ch, readings) in name.chars().zip(name.to_pinyin_multi()) {
        if !surname_done && Some(ch) == first {
            surname_done = true;
            if let Some((_, reading)) = SURNAME_READINGS.iter().find(|(c, _)| *c == ch) {
                for (full, initials) in &mut combos {
                    full.push_str(reading);
                    initials.push_str(&reading[..1]);
                }
                continue;
            }
        }
        let spellings: Vec<String> = match readings {
            Some(multi) => {
                let mut all: Vec<String> = Vec::new();
                for reading in multi {
                    let plain = reading.plain().to_string();
                    if !all.contains(&plain) {
                        all.push(plain);
                    }
                }
                all
            }
            None if ch.is_alphanumeric() => vec![ch.to_lowercase().collect()],
            None => continue,
        };
        let mut next = Vec::with_capacity(combos.len() * spellings.len());
        for (full, initials) in &combos {
            for spelling in &spellings {
                if next.len() >= MAX_COMBINATIONS {
                    break;
                }
                let initial: String = spelling.chars().take(1).collect();
                next.push((format!("{full}{spelling}"), format!("{initials}{initial}")));
            }
        }
        combos = next;
    }
    let mut words: Vec<String> = Vec::with_capacity(combos.len() * 2);
    for (full, initials) in combos {
        for word in [full, initials] {
            if !word.is_empty() && !words.contains(&word) {
                words.push(word);
            }
        }
    }
    words.join(" ")
}

/// The search key of a phrase such as a category (`交通出行/停车`): the key of the whole and of
/// each of its parts between separators, so that `tc` finds it by 停车 as `jtcx` does by 交通出行.
pub fn phrase_key(phrase: &str) -> String {
    let mut words: Vec<String> = search_key(phrase).split(' ').map(str::to_string).collect();
    let parts: Vec<&str> = phrase
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        for part in parts {
            for word in search_key(part).split(' ') {
                if !word.is_empty() && !words.iter().any(|w| w == word) {
                    words.push(word.to_string());
                }
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod surname_tests {
    use super::*;

    #[test]
    fn polyphonic_surnames_read_as_surnames() {
        assert_eq!(name_key("曾德华"), "zengdehua zdh");
        assert!(name_key("单雄信").starts_with("shanxiongxin"));
        assert!(name_key("解放").starts_with("xiefang"));
        assert!(name_key("区小梅").starts_with("ouxiaomei"));
        assert!(name_key("仇明").starts_with("qiuming"));
        assert!(!name_key("曾德华").contains("ceng"));
        // Only the surname: 曾 later in a name keeps its readings, and plain phrases keep all.
        assert!(name_key("王曾").contains("wangceng") || name_key("王曾").contains("wangzeng"));
        assert!(search_key("曾经").contains("ceng"));
        // Sorted by the surname reading: 蔡 cai, 曾 zeng, 张 zhang.
        let mut names = vec!["张伟", "曾德华", "蔡明"];
        names.sort_by_key(|n| name_key(n));
        assert_eq!(names, vec!["蔡明", "曾德华", "张伟"]);
        assert!(matches("zdh", "曾德华", &name_key("曾德华")));
        assert!(matches("zeng", "曾德华", &name_key("曾德华")));
    }
}

/// The most combinations of heteronym readings indexed for one name.
pub const MAX_COMBINATIONS: usize = 16;

/// Whether a typed filter matches a name or its search key: a Chinese substring of the name,
/// or a prefix of any pinyin word in the key (`zs`, `zhang`, `zhangs`).
pub fn matches(filter: &str, name: &str, key: &str) -> bool {
    let filter = filter.trim().to_lowercase();
    if filter.is_empty() {
        return true;
    }
    name.to_lowercase().contains(&filter) || key.split(' ').any(|word| word.starts_with(&filter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_found_by_the_initials_of_any_of_its_parts() {
        let key = phrase_key("交通出行/停车");
        assert!(matches("tc", "交通出行/停车", &key), "{key}");
        assert!(matches("jtcx", "交通出行/停车", &key));
        assert!(matches("tingche", "交通出行/停车", &key));
        assert!(!matches("wy", "交通出行/停车", &key));
        assert_eq!(phrase_key("张三"), search_key("张三"));
    }

    #[test]
    fn full_pinyin_and_initials() {
        let key = search_key("张三");
        assert!(key.starts_with("zhangsan zs"), "{key}");
        assert!(matches("zs", "张三", &key));
        assert!(matches("zhangs", "张三", &key));
        assert!(matches("张", "张三", &key));
        assert!(!matches("ls", "张三", &key));
    }

    #[test]
    fn heteronym_surnames_are_found_by_every_reading() {
        let key = search_key("单田芳");
        // 单 reads dan (single) and shan (the surname).
        assert!(key.split(' ').any(|w| w.starts_with("stf")), "{key}");
        assert!(key.split(' ').any(|w| w.starts_with("dtf")), "{key}");
        let key = search_key("曾国藩");
        assert!(key.split(' ').any(|w| w.starts_with("zgf")), "{key}");
        assert!(key.split(' ').any(|w| w.starts_with("cgf")), "{key}");
    }

    #[test]
    fn latin_letters_and_digits_pass_through() {
        let key = search_key("王A1");
        assert!(key.starts_with("wanga1 wa1"), "{key}");
    }
}
