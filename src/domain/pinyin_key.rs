//! Pinyin search keys for names, so that `zs` and `zhangsan` find 张三.

use pinyin::ToPinyinMulti;

/// The search key of a name: full pinyin and initials, lower-case and space separated,
/// e.g. `张三` → `zhangsan zs`.
///
/// For heteronyms (单, 曾, 解 in surnames) every reading of each character is indexed: the key
/// holds the spelling of each combination of readings (at most [`MAX_COMBINATIONS`]).
pub fn search_key(name: &str) -> String {
    let mut combos: Vec<(String, String)> = vec![(String::new(), String::new())];
    for (ch, readings) in name.chars().zip(name.to_pinyin_multi()) {
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
