//! What a station passphrase must be: long enough, and not a PIN or a repeated character.

/// The fewest characters a station passphrase may have.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Why a passphrase is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Fewer than [`MIN_PASSPHRASE_CHARS`] characters.
    Short,
    /// Digits only (a PIN or a date).
    OnlyDigits,
    /// One character repeated, or two in turn.
    Repetitive,
}

/// Whether a passphrase is too weak to protect the station's file.
pub fn weakness(passphrase: &str) -> Option<Weakness> {
    let text: Vec<char> = passphrase.chars().filter(|c| !c.is_whitespace()).collect();
    if text.len() < MIN_PASSPHRASE_CHARS {
        return Some(Weakness::Short);
    }
    if text.iter().all(|c| c.is_ascii_digit()) {
        return Some(Weakness::OnlyDigits);
    }
    let distinct: std::collections::BTreeSet<&char> = text.iter().collect();
    if distinct.len() <= 2 {
        return Some(Weakness::Repetitive);
    }
    None
}
