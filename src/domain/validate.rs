//! Validation of what people type: phone numbers, resident ID numbers, station codes.

use thiserror::Error;

/// Why a value was refused. `key()` names the message in the locale files.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    #[error("required field is empty")]
    Required,
    #[error("too long (at most {max} characters)")]
    TooLong { max: usize },
    #[error("has control characters")]
    ControlCharacters,
    #[error("not a mainland mobile or landline number")]
    Phone,
    #[error("resident ID number must have 18 characters")]
    IdLength,
    #[error("resident ID number has characters that do not belong")]
    IdCharacters,
    #[error("resident ID number fails its check digit")]
    IdChecksum,
    #[error("station code must be 2-16 letters, digits or dashes")]
    StationCode,
    #[error("not an age recipient (age1...)")]
    AgeRecipient,
    #[error("an age recipient has 62 characters, this has {len}")]
    AgeRecipientLength { len: usize },
    #[error("the age recipient fails its checksum: a character was copied wrong")]
    AgeRecipientChecksum,
    #[error("not a date")]
    Date,
    #[error("not one of the choices")]
    Choice,
    #[error("PIN must be 4 to 6 digits")]
    Pin,
    #[error("not an amount of money")]
    Amount,
    #[error("a case needs an applicant")]
    ApplicantMissing,
    #[error("a case needs a respondent")]
    RespondentMissing,
    #[error("one to three mediators")]
    Mediators,
    #[error("the dates are in the wrong order")]
    DateOrder,
    #[error("a date after today")]
    Future,
    #[error("a proposal answered before it was filed")]
    NotFiled,
}

impl ValidationError {
    /// The locale key of the message for this error.
    pub fn key(&self) -> &'static str {
        match self {
            ValidationError::Required => "validate.required",
            ValidationError::TooLong { .. } => "validate.too_long",
            ValidationError::ControlCharacters => "validate.control_characters",
            ValidationError::Phone => "validate.phone",
            ValidationError::IdLength => "validate.id_length",
            ValidationError::IdCharacters => "validate.id_characters",
            ValidationError::IdChecksum => "validate.id_checksum",
            ValidationError::StationCode => "validate.station_code",
            ValidationError::AgeRecipient => "validate.age_recipient",
            ValidationError::AgeRecipientLength { .. } => "validate.age_recipient_length",
            ValidationError::AgeRecipientChecksum => "validate.age_recipient_checksum",
            ValidationError::Date => "validate.date",
            ValidationError::Choice => "validate.choice",
            ValidationError::Pin => "validate.pin",
            ValidationError::Amount => "validate.amount",
            ValidationError::ApplicantMissing => "validate.applicant_missing",
            ValidationError::RespondentMissing => "validate.respondent_missing",
            ValidationError::Mediators => "validate.mediators",
            ValidationError::DateOrder => "validate.date_order",
            ValidationError::Future => "validate.future",
            ValidationError::NotFiled => "validate.not_filed",
        }
    }
}

/// A required single-line text: trimmed, non-empty, at most `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::Required);
    }
    optional_text(trimmed, max)
}

/// A name that is signed and travels to the county (the station's): required, at most `max`
/// characters, and refused, not cleaned, when it holds control characters, so that what the
/// county shows is exactly what the station typed.
pub fn plain_name(value: &str, max: usize) -> Result<String, ValidationError> {
    if crate::text::clean_input(value) != value || value.contains(['\n', '\t']) {
        return Err(ValidationError::ControlCharacters);
    }
    required_text(value, max)
}

/// An optional text: control characters removed, trimmed, at most `max` characters.
pub fn optional_text(value: &str, max: usize) -> Result<String, ValidationError> {
    let cleaned = crate::text::clean_input(value);
    let trimmed = cleaned.trim();
    if trimmed.chars().count() > max {
        return Err(ValidationError::TooLong { max });
    }
    Ok(trimmed.to_string())
}

/// An optional multi-line text: like [`required_multiline`] but may be empty.
pub fn optional_multiline(value: &str, max: usize) -> Result<String, ValidationError> {
    match required_multiline(value, max) {
        Err(ValidationError::Required) => Ok(String::new()),
        other => other,
    }
}

/// A required multi-line text: control characters other than line breaks removed, trimmed,
/// non-empty, at most `max` characters.
pub fn required_multiline(value: &str, max: usize) -> Result<String, ValidationError> {
    let cleaned = crate::text::clean_input(&value.replace("\r\n", "\n"));
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::Required);
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::TooLong { max });
    }
    Ok(trimmed.to_string())
}

/// A mainland China phone number: a mobile (11 digits starting 13–19) or a landline
/// (area code 0xx/0xxx, then 7–8 digits, with an optional dash or space and extension).
/// Returns the number normalised without spaces. Empty input is `Ok("")`.
pub fn phone(value: &str) -> Result<String, ValidationError> {
    let compact: String = value
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{3000}')
        .collect();
    if compact.is_empty() {
        return Ok(compact);
    }
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let bare = compact.strip_prefix("+86").unwrap_or(&compact);
    if bare.len() == 11 && digits_only(bare) && bare.starts_with('1') {
        let second = bare.as_bytes()[1];
        if (b'3'..=b'9').contains(&second) {
            return Ok(bare.to_string());
        }
        return Err(ValidationError::Phone);
    }
    // Landline: 0 + area code (2-3 more digits) + local number (7-8 digits), dash optional.
    let (main, extension) = match bare.split_once(['转', '#']) {
        Some((main, ext)) if digits_only(ext) => (main, Some(ext)),
        Some(_) => return Err(ValidationError::Phone),
        None => (bare, None),
    };
    let valid_landline = if let Some((area, local)) = main.split_once('-') {
        digits_only(area)
            && area.starts_with('0')
            && (3..=4).contains(&area.len())
            && digits_only(local)
            && (7..=8).contains(&local.len())
    } else {
        digits_only(main) && main.starts_with('0') && (10..=12).contains(&main.len())
    };
    if valid_landline {
        let _ = extension;
        Ok(compact)
    } else if digits_only(main) && (7..=8).contains(&main.len()) && extension.is_none() {
        // A local number without area code, as written on many station forms.
        Ok(compact)
    } else {
        Err(ValidationError::Phone)
    }
}

/// A resident ID number (公民身份号码, GB 11643-1999): 17 digits and a check character
/// (0-9 or X) computed with ISO 7064 MOD 11-2. Returns it upper-cased. Empty is `Ok("")`.
pub fn resident_id(value: &str) -> Result<String, ValidationError> {
    let id: String = value.trim().to_uppercase();
    if id.is_empty() {
        return Ok(id);
    }
    if id.chars().count() != 18 {
        return Err(ValidationError::IdLength);
    }
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(ValidationError::IdCharacters);
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    if CHECK[(sum % 11) as usize] == bytes[17] {
        Ok(id)
    } else {
        Err(ValidationError::IdChecksum)
    }
}

/// Masks a resident ID number for display: `110105********123X`.
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// Masks a phone number for display: `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// A station code, used in bundle file names: 2–16 ASCII letters, digits or dashes.
pub fn station_code(value: &str) -> Result<String, ValidationError> {
    let code = value.trim();
    let ok = (2..=16).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !code.starts_with('-');
    if ok {
        Ok(code.to_string())
    } else {
        Err(ValidationError::StationCode)
    }
}

/// An age X25519 recipient (`age1…`), checked by the age crate (bech32 checksum included).
/// The county office's age recipient: `age1` and 58 more bech32 characters whose checksum
/// holds (age's own parser checks it). A wrong one says what is wrong: the start, the length
/// or a character copied wrong.
pub fn age_recipient(value: &str) -> Result<String, ValidationError> {
    let text: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if !text.starts_with("age1") {
        return Err(ValidationError::AgeRecipient);
    }
    let len = text.chars().count();
    if len != 62 {
        return Err(ValidationError::AgeRecipientLength { len });
    }
    text.parse::<age::x25519::Recipient>()
        .map(|_| text)
        .map_err(|_| ValidationError::AgeRecipientChecksum)
}

/// A desk PIN: 4 to 6 digits.
pub fn pin(value: &str) -> Result<String, ValidationError> {
    let pin = value.trim();
    if (4..=6).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(pin.to_string())
    } else {
        Err(ValidationError::Pin)
    }
}

/// Keeps a checked value in `into`, or notes the field's error.
pub fn keep<T, F>(
    into: &mut T,
    field: F,
    checked: Result<T, ValidationError>,
    errors: &mut Vec<(F, ValidationError)>,
) {
    match checked {
        Ok(value) => *into = value,
        Err(e) => errors.push((field, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_and_landline_numbers() {
        assert_eq!(phone("138 0013 8000"), Ok("13800138000".into()));
        assert_eq!(phone("+8613800138000"), Ok("13800138000".into()));
        assert_eq!(phone("010-62345678"), Ok("010-62345678".into()));
        assert_eq!(phone("0755-1234567"), Ok("0755-1234567".into()));
        assert_eq!(phone("075512345678"), Ok("075512345678".into()));
        assert_eq!(phone("0571-87654321转123"), Ok("0571-87654321转123".into()));
        assert_eq!(phone("6234567"), Ok("6234567".into()));
        assert_eq!(phone(""), Ok(String::new()));
        assert_eq!(phone("12800138000"), Err(ValidationError::Phone));
        assert_eq!(phone("1380013800"), Err(ValidationError::Phone));
        assert_eq!(phone("1380013800a"), Err(ValidationError::Phone));
        assert_eq!(phone("10-1234567"), Err(ValidationError::Phone));
        assert_eq!(phone("电话"), Err(ValidationError::Phone));
    }

    #[test]
    fn resident_id_checksum() {
        // The example from GB 11643-1999.
        assert_eq!(
            resident_id("11010519491231002X"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            resident_id("11010519491231002x"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            resident_id("440524188001010014"),
            Ok("440524188001010014".into())
        );
        assert_eq!(
            resident_id("110105194912310021"),
            Err(ValidationError::IdChecksum)
        );
        assert_eq!(
            resident_id("11010519491231002"),
            Err(ValidationError::IdLength)
        );
        assert_eq!(
            resident_id("1101051949123100211"),
            Err(ValidationError::IdLength)
        );
        assert_eq!(
            resident_id("1101051949A231002X"),
            Err(ValidationError::IdCharacters)
        );
        assert_eq!(resident_id(""), Ok(String::new()));
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_resident_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn station_codes_and_recipients() {
        assert_eq!(station_code(" QX-01 "), Ok("QX-01".into()));
        assert!(station_code("青溪").is_err());
        assert!(station_code("a").is_err());
        assert!(station_code("-ab").is_err());
        let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        assert_eq!(age_recipient(recipient), Ok(recipient.into()));
        assert_eq!(
            age_recipient("age1short"),
            Err(ValidationError::AgeRecipientLength { len: 9 })
        );
        assert_eq!(
            age_recipient("ssh-ed25519 AAAA"),
            Err(ValidationError::AgeRecipient)
        );
        // One character copied wrong: the length is right, the bech32 checksum is not.
        let miscopied = recipient.replace("ql3z", "ql4z");
        assert_eq!(
            age_recipient(&miscopied),
            Err(ValidationError::AgeRecipientChecksum)
        );
        // Spaces from a copy and capitals are forgiven.
        assert_eq!(
            age_recipient(&format!(
                " {} ",
                recipient.to_uppercase().replace("AGE1", "age1 ")
            )),
            Ok(recipient.into())
        );
    }

    #[test]
    fn texts_and_pins() {
        assert_eq!(required_text("  张三 ", 10), Ok("张三".into()));
        assert_eq!(
            required_text("张\x1b[2J三\u{202e}", 10),
            Ok("张[2J三".into())
        );
        assert_eq!(required_text("   ", 10), Err(ValidationError::Required));
        assert_eq!(
            optional_text("一二三", 2),
            Err(ValidationError::TooLong { max: 2 })
        );
        assert_eq!(pin("1234"), Ok("1234".into()));
        assert_eq!(pin("123"), Err(ValidationError::Pin));
        assert_eq!(pin("12a4"), Err(ValidationError::Pin));
        assert_eq!(pin("1234567"), Err(ValidationError::Pin));
    }
}
