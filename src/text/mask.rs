//! Personal numbers masked for a reader who may not see them (a plaintext bundle, a printed
//! register): a phone or ID number keeps its first and last few digits.

/// How many digits stay visible at the front and at the back of `n` digits.
fn kept(n: usize, personal: bool) -> (usize, usize) {
    match n {
        11.. => (3, 4),
        7..=10 => (2, 2),
        4..=6 if personal => (0, 1),
        _ if personal => (0, 0),
        _ => (n, 0),
    }
}

fn is_digitish(c: char) -> bool {
    c.is_ascii_digit() || c == 'X' || c == 'x'
}

/// Free text: every run of seven or more digits (a phone or ID number, with its trailing X)
/// keeps its first and last few digits only: eleven and more keep three and four, seven to
/// ten keep two and two. Shorter numbers (amounts, house numbers) stay.
pub fn mask_free_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && is_digitish(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let (front, back) = kept(run.len(), false);
            for (at, c) in run.iter().enumerate() {
                if at < front || at >= run.len() - back {
                    out.push(*c);
                } else {
                    out.push('*');
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A phone or ID number field: its digits counted across separators (`010-6234 5678`), at
/// least half of them masked whatever the length.
pub fn mask_personal(text: &str) -> String {
    let n = text.chars().filter(|c| is_digitish(*c)).count();
    let (front, back) = kept(n, true);
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if !is_digitish(c) {
                return c;
            }
            let at = seen;
            seen += 1;
            if at < front || at >= n - back {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_masks_long_numbers_only() {
        assert_eq!(
            mask_free_text("电话13800138000，3号楼"),
            "电话138****8000，3号楼"
        );
        assert_eq!(mask_free_text("11010519491231002X"), "110***********002X");
        assert_eq!(mask_free_text("座机6234567"), "座机62***67");
        assert_eq!(mask_free_text("010-62345678"), "010-62****78");
        assert_eq!(mask_free_text("3000元"), "3000元");
    }

    #[test]
    fn personal_fields_are_masked_whatever_their_length() {
        assert_eq!(mask_personal("13800138000"), "138****8000");
        assert_eq!(mask_personal("6234567"), "62***67");
        assert_eq!(mask_personal("010-6234 5678"), "010-**** 5678");
        assert_eq!(mask_personal("6234-5678"), "62**-**78");
        assert_eq!(mask_personal("12345"), "****5");
        assert_eq!(mask_personal("110"), "***");
        assert_eq!(mask_personal("幸福里3号楼"), "幸福里*号楼");
    }
}
