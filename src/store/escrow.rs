//! The slots age opens: a station's county escrow, the county file's identity slots, and the
//! county's recovery of a station's key from its escrow.

use zeroize::Zeroizing;

use super::error::damaged_keys;
use super::error::{StoreError, StoreResult};
use super::keys::{generate_passphrase, FileKey, KdfCost, Passphrase, Slot, Slots};

/// `key` encrypted with age to `recipient` (an `age1…` X25519 recipient), armoured.
fn age_wrap(key: &FileKey, recipient: &str, setting: &'static str) -> StoreResult<String> {
    let parsed: age::x25519::Recipient = recipient
        .trim()
        .parse()
        .map_err(|_| StoreError::Setting(setting))?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&parsed as &dyn age::Recipient))
            .map_err(|e| damaged_keys(&e.to_string()))?;
    let mut out = Vec::new();
    {
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .map_err(|e| damaged_keys(&e.to_string()))?;
        let mut writer = encryptor
            .wrap_output(armor)
            .map_err(|e| damaged_keys(&e.to_string()))?;
        std::io::Write::write_all(&mut writer, key.bytes())
            .map_err(|e| damaged_keys(&e.to_string()))?;
        writer
            .finish()
            .and_then(|armor| armor.finish())
            .map_err(|e| damaged_keys(&e.to_string()))?;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The file key from an escrow slot's age text, with the county's identities.
pub fn unwrap_escrow(
    age_text: &str,
    identities: &[Box<dyn age::Identity + Send + Sync>],
) -> StoreResult<FileKey> {
    use std::io::Read;
    let reader = age::armor::ArmoredReader::new(age_text.as_bytes());
    let decryptor = age::Decryptor::new(reader).map_err(|e| damaged_keys(&e.to_string()))?;
    let mut plain = Zeroizing::new(Vec::new());
    decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => StoreError::WrongPassphrase,
            other => damaged_keys(&other.to_string()),
        })?
        .read_to_end(&mut plain)
        .map_err(|e| damaged_keys(&e.to_string()))?;
    FileKey::from_slice(&plain).ok_or_else(|| damaged_keys("escrow"))
}

/// A county's recovery of a station's key: the key from its escrow (`age_text`, encrypted to
/// `recipient`, of key id `file`) with the county's identities, and a new slots file for the
/// same key with a one-time passphrase (returned, to be told to the station) and the same
/// escrow. Opening with it, the desk asks for a new passphrase.
pub fn recover(
    file: &str,
    recipient: &str,
    age_text: &str,
    identities: &[Box<dyn age::Identity + Send + Sync>],
    cost: KdfCost,
) -> StoreResult<(Slots, Passphrase)> {
    let key = unwrap_escrow(age_text, identities)?;
    let mut slots = Slots {
        file: file.to_string(),
        ..Slots::new()
    };
    let passphrase = Passphrase::new(&generate_passphrase());
    slots.set_passphrase(&key, &passphrase, cost, true)?;
    slots.slots.push(Slot::Escrow {
        recipient: recipient.to_string(),
        age: age_text.to_string(),
    });
    Ok((slots, passphrase))
}

/// The slots age opens.
impl Slots {
    /// Sets the county escrow slot for the age `recipient` (replacing the one there was).
    pub fn set_escrow(&mut self, key: &FileKey, recipient: &str) -> StoreResult<()> {
        let age = age_wrap(key, recipient, "county_recipient")?;
        self.slots.retain(|s| !matches!(s, Slot::Escrow { .. }));
        self.slots.push(Slot::Escrow {
            recipient: recipient.trim().to_string(),
            age,
        });
        Ok(())
    }

    /// Sets the identity slots of the county's own file: one for each of the county's age
    /// `recipients` (replacing those there were).
    pub fn set_identities(&mut self, key: &FileKey, recipients: &[String]) -> StoreResult<()> {
        let mut made = Vec::with_capacity(recipients.len());
        for recipient in recipients {
            made.push(Slot::Identity {
                recipient: recipient.trim().to_string(),
                age: age_wrap(key, recipient, "identity")?,
            });
        }
        self.slots.retain(|s| !matches!(s, Slot::Identity { .. }));
        self.slots.extend(made);
        Ok(())
    }

    pub fn has_identity(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::Identity { .. }))
    }

    /// Unwraps the file key with age `identities` through an identity slot.
    pub fn unlock_with_identities(
        &self,
        identities: &[Box<dyn age::Identity + Send + Sync>],
    ) -> StoreResult<FileKey> {
        let mut tried = false;
        for slot in &self.slots {
            if let Slot::Identity { age, .. } = slot {
                tried = true;
                match unwrap_escrow(age, identities) {
                    Ok(key) => return Ok(key),
                    Err(StoreError::WrongPassphrase) => continue,
                    Err(other) => return Err(other),
                }
            }
        }
        Err(if tried {
            StoreError::WrongPassphrase
        } else {
            StoreError::NoSlot
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escrow_opens_with_the_county_identity() {
        let identity = age::x25519::Identity::generate();
        let key = FileKey::generate();
        let mut slots = Slots::new();
        slots
            .set_escrow(&key, &identity.to_public().to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        let Some((_, text)) = slots.escrow() else {
            panic!("no escrow slot")
        };
        assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        let ids: Vec<Box<dyn age::Identity + Send + Sync>> = vec![Box::new(identity)];
        let back = unwrap_escrow(text, &ids).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.same_as(&key));
        let other: Vec<Box<dyn age::Identity + Send + Sync>> =
            vec![Box::new(age::x25519::Identity::generate())];
        assert!(unwrap_escrow(text, &other).is_err());
    }

    #[test]
    fn identity_slots_open_with_the_county_identity_only() {
        let identity = age::x25519::Identity::generate();
        let key = FileKey::generate();
        let mut slots = Slots::new();
        slots
            .set_identities(&key, &[identity.to_public().to_string()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(slots.has_identity());
        assert!(slots.escrow().is_none(), "an identity slot is no escrow");
        let ids: Vec<Box<dyn age::Identity + Send + Sync>> = vec![Box::new(identity)];
        let back = slots
            .unlock_with_identities(&ids)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(back.same_as(&key));
        let other: Vec<Box<dyn age::Identity + Send + Sync>> =
            vec![Box::new(age::x25519::Identity::generate())];
        assert!(matches!(
            slots.unlock_with_identities(&other),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(matches!(
            Slots::new().unlock_with_identities(&ids),
            Err(StoreError::NoSlot)
        ));
    }
}
