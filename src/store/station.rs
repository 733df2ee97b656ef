//! Station identity: created once, with the station's minisign (Ed25519) signing key pair.

use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use super::error::{StoreError, StoreResult};
use super::{format_time, parse_time, parse_uuid, Store};
use crate::domain::{Station, StationSetup};

impl Store {
    /// The station, if the database has been initialised.
    pub fn station(&self) -> StoreResult<Option<Station>> {
        let station = self
            .conn()
            .query_row(
                "SELECT id, name, code, county, county_recipient, public_key, created_at
                 FROM station WHERE singleton = 1",
                [],
                |row| {
                    Ok(Station {
                        id: parse_uuid(&row.get::<_, String>(0)?)?,
                        name: row.get(1)?,
                        code: row.get(2)?,
                        county: row.get(3)?,
                        county_recipient: row.get(4)?,
                        public_key: row.get(5)?,
                        created_at: parse_time(&row.get::<_, String>(6)?)?,
                    })
                },
            )
            .optional()?;
        Ok(station)
    }

    pub(crate) fn station_id(&self) -> StoreResult<Uuid> {
        let id: Option<String> = self
            .conn()
            .query_row("SELECT id FROM station WHERE singleton = 1", [], |row| {
                row.get(0)
            })
            .optional()?;
        let id = id.ok_or(StoreError::NotInitialised)?;
        Ok(parse_uuid(&id)?)
    }

    /// Initialises the station: validates the setup and makes the signing key pair.
    /// Refused if the station already exists.
    pub fn init_station(&mut self, setup: &StationSetup) -> StoreResult<Station> {
        let checked = setup.validate().map_err(StoreError::Invalid)?;
        let keys = minisign::KeyPair::generate_unencrypted_keypair()
            .map_err(|e| StoreError::Key(e.to_string()))?;
        let comment = format!("stationdesk station {}", checked.code);
        let public_key = keys
            .pk
            .to_box()
            .map_err(|e| StoreError::Key(e.to_string()))?
            .into_string();
        let secret_key = keys
            .sk
            .to_box(Some(&comment))
            .map_err(|e| StoreError::Key(e.to_string()))?
            .into_string();
        let station = Station {
            id: Uuid::now_v7(),
            name: checked.name,
            code: checked.code,
            county: checked.county,
            county_recipient: Some(checked.county_recipient).filter(|r| !r.is_empty()),
            public_key,
            created_at: super::now(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: i64 = tx.query_row("SELECT count(*) FROM station", [], |row| row.get(0))?;
        if exists > 0 {
            return Err(StoreError::AlreadyInitialised);
        }
        tx.execute(
            "INSERT INTO station (singleton, id, name, code, county, county_recipient, public_key,
                                  secret_key, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                station.id.to_string(),
                station.name,
                station.code,
                station.county,
                station.county_recipient,
                station.public_key,
                secret_key,
                format_time(&station.created_at),
            ],
        )?;
        tx.commit()?;
        // The county can recover this file from its first bundle on.
        self.write_escrow(station.county_recipient.as_deref())?;
        Ok(station)
    }

    /// The station's secret signing key, for signing bundle manifests.
    pub fn signing_key(&self) -> StoreResult<minisign::SecretKey> {
        let text: Option<String> = self
            .conn()
            .query_row(
                "SELECT secret_key FROM station WHERE singleton = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let text = text.ok_or(StoreError::NotInitialised)?;
        let boxed = minisign::SecretKeyBox::from_string(&text)
            .map_err(|e| StoreError::Key(e.to_string()))?;
        boxed
            .into_unencrypted_secret_key()
            .map_err(|e| StoreError::Key(e.to_string()))
    }

    /// Sets the county office's age recipient.
    pub fn set_county_recipient(&mut self, recipient: &str) -> StoreResult<()> {
        let checked = crate::domain::validate::age_recipient(recipient)
            .map_err(|e| StoreError::Invalid(vec![("county_recipient", e)]))?;
        let changed = self.conn().execute(
            "UPDATE station SET county_recipient = ?1 WHERE singleton = 1",
            [checked],
        )?;
        if changed == 0 {
            return Err(StoreError::NotInitialised);
        }
        self.write_escrow(Some(recipient))
    }

    /// No county recipient: only masked plaintext bundles can be made until one is set.
    pub fn clear_county_recipient(&mut self) -> StoreResult<()> {
        self.conn().execute(
            "UPDATE station SET county_recipient = NULL WHERE singleton = 1",
            [],
        )?;
        self.write_escrow(None)
    }

    /// A setting's stored value.
    pub fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// The people's mediation committee (人民调解委员会) whose seal the agreements take; empty
    /// when not set.
    pub fn mediation_committee(&self) -> StoreResult<String> {
        Ok(self.setting(MEDIATION_COMMITTEE)?.unwrap_or_default())
    }

    /// Sets the committee's name: one line without control characters, at most 60 characters.
    pub fn set_mediation_committee(&mut self, name: &str) -> StoreResult<()> {
        if name.trim().is_empty() {
            return self.set_setting(MEDIATION_COMMITTEE, "");
        }
        let name = crate::domain::validate::plain_name(name.trim(), 60)
            .map_err(|e| StoreError::Invalid(vec![("mediation_committee", e)]))?;
        self.set_setting(MEDIATION_COMMITTEE, &name)
    }

    /// The township or street (乡镇、街道) the station serves, as the county lists its
    /// stations by; empty when not set.
    pub fn town(&self) -> StoreResult<String> {
        Ok(self.setting(TOWN)?.unwrap_or_default())
    }

    /// Sets the town (see [`crate::domain::station::town`]); empty clears it.
    pub fn set_town(&mut self, town: &str) -> StoreResult<()> {
        let town = crate::domain::station::town(town)
            .map_err(|e| StoreError::Invalid(vec![("town", e)]))?;
        self.set_setting(TOWN, &town)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> StoreResult<()> {
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// The setting key of the mediation committee's name.
pub const MEDIATION_COMMITTEE: &str = "mediation_committee";

/// The setting key of the station's town (乡镇、街道).
pub const TOWN: &str = "town";
