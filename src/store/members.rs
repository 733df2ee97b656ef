//! The member registry (委员信息库): the first record kind, and the desk PINs of its members.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row};
use uuid::Uuid;

use super::codec::parse_code;
use super::error::{StoreError, StoreResult};
use super::record::{meta_in_field, RecordTable};
use super::{format_time, Store};
use crate::domain::pinyin_key::name_key;
use crate::domain::{validate, Gender, Level, Member, MemberFields, RecordMeta};

impl RecordTable for Member {
    const TABLE: &'static str = "member";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "gender",
        "sector",
        "level",
        "party",
        "phone",
        "specialties",
        "mediator",
        "active",
        "search_key",
    ];

    meta_in_field!();

    fn values(&self) -> Vec<Value> {
        let f = &self.fields;
        vec![
            Value::Text(f.name.clone()),
            Value::Text(f.gender.as_str().to_string()),
            Value::Text(f.sector.clone()),
            Value::Text(f.level.as_str().to_string()),
            Value::Text(f.party.clone()),
            Value::Text(f.phone.clone()),
            Value::Text(f.specialties.clone()),
            Value::Integer(i64::from(f.mediator)),
            Value::Integer(i64::from(f.active)),
            Value::Text(name_key(&f.name)),
        ]
    }

    fn search_head(&self) -> crate::domain::search::SearchHead {
        member_head(self)
    }

    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Member> {
        Ok(Member {
            meta,
            fields: MemberFields {
                name: row.get(6)?,
                gender: parse_code(row, 7, Gender::parse)?,
                sector: row.get(8)?,
                level: parse_code(row, 9, Level::parse)?,
                party: row.get(10)?,
                phone: row.get(11)?,
                specialties: row.get(12)?,
                mediator: row.get(13)?,
                active: row.get(14)?,
            },
        })
    }
}

/// Members are found by their typed fields and the pinyin of their name (the surname read as a
/// surname).
fn member_head(member: &Member) -> crate::domain::search::SearchHead {
    let f = &member.fields;
    let snippet = [f.sector.as_str(), f.party.as_str(), f.specialties.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" | ");
    crate::domain::search::SearchHead {
        title: f.name.clone(),
        date: String::new(),
        snippet,
        words: name_key(&f.name).split(' ').map(str::to_string).collect(),
    }
}

/// What the registry list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberFilter {
    /// Chinese substring of the name, or a prefix of its pinyin (`zs`, `zhang`).
    pub text: String,
    /// Show deactivated members too.
    pub include_inactive: bool,
    /// Show only soft-deleted members (the "recycle bin"), to restore them.
    pub deleted: bool,
}

/// A page of the registry, in pinyin order.
#[derive(Debug, Clone, Default)]
pub struct MemberPage {
    pub members: Vec<Member>,
}

/// Where a filtered count stops.
pub const MEMBER_COUNT_CAP: i64 = 10_000;

/// The position of a member in the registry's order, for keyset pagination.
pub type MemberCursor = (String, Uuid);

fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

const FILTER_SQL: &str = "(?1 = '' OR name LIKE '%' || ?1 || '%' ESCAPE '\\'
       OR (' ' || search_key) LIKE '% ' || ?1 || '%' ESCAPE '\\')
   AND (?2 OR active = 1)
   AND ((?3 AND deleted_at IS NOT NULL) OR (NOT ?3 AND deleted_at IS NULL))";

impl Store {
    /// Adds a member after checking the fields.
    pub fn add_member(&mut self, fields: &MemberFields) -> StoreResult<Member> {
        let checked = fields.validate().map_err(StoreError::Invalid)?;
        self.insert(Member::new(checked))
    }

    /// Saves edited fields of a member.
    pub fn edit_member(&mut self, id: Uuid, fields: &MemberFields) -> StoreResult<Member> {
        let checked = fields.validate().map_err(StoreError::Invalid)?;
        let mut member = Member::new(checked);
        member.meta.id = id;
        self.update(&member)
    }

    /// Deactivates or reactivates a member (a member who left the committee stays in the
    /// records but is no longer offered for duty).
    pub fn set_member_active(&mut self, id: Uuid, active: bool) -> StoreResult<Member> {
        let mut member = self
            .get::<Member>(id)?
            .ok_or_else(|| super::record::not_found::<Member>(id))?;
        member.fields.active = active;
        self.update(&member)
    }

    /// Every member ever registered, inactive and deleted ones too: the names that other
    /// records name (a station has dozens of members, not thousands).
    pub fn all_members_any(&self) -> StoreResult<Vec<Member>> {
        let sql = format!("SELECT {} FROM member ORDER BY rev", Member::select_list());
        let mut stmt = self.conn.prepare(&sql)?;
        let members = stmt
            .query_map([], Member::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(members)
    }

    /// The page of members after `cursor` (or from the start), at most `limit` long.
    pub fn members_after(
        &self,
        filter: &MemberFilter,
        cursor: Option<&MemberCursor>,
        limit: usize,
    ) -> StoreResult<Vec<Member>> {
        self.members_page(filter, cursor, limit, false)
    }

    /// The page of members just before `cursor`, in registry order, at most `limit` long.
    pub fn members_before(
        &self,
        filter: &MemberFilter,
        cursor: &MemberCursor,
        limit: usize,
    ) -> StoreResult<Vec<Member>> {
        let mut page = self.members_page(filter, Some(cursor), limit, true)?;
        page.reverse();
        Ok(page)
    }

    /// The last `limit` members of the registry's order.
    pub fn members_last(&self, filter: &MemberFilter, limit: usize) -> StoreResult<Vec<Member>> {
        let mut page = self.members_page(filter, None, limit, true)?;
        page.reverse();
        Ok(page)
    }

    fn members_page(
        &self,
        filter: &MemberFilter,
        cursor: Option<&MemberCursor>,
        limit: usize,
        backwards: bool,
    ) -> StoreResult<Vec<Member>> {
        let (compare, order) = if backwards {
            ("<", "DESC")
        } else {
            (">", "ASC")
        };
        let cursor_sql = if cursor.is_some() {
            format!("AND (search_key, id) {compare} (?4, ?5)")
        } else {
            "AND ?4 IS NULL AND ?5 IS NULL".to_string()
        };
        let sql = format!(
            "SELECT {} FROM member WHERE {FILTER_SQL} {cursor_sql}
             ORDER BY search_key {order}, id {order} LIMIT ?6",
            Member::select_list()
        );
        let (key, id) = match cursor {
            Some((key, id)) => (Some(key.clone()), Some(id.to_string())),
            None => (None, None),
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(
                params![
                    like_pattern(&filter.text),
                    filter.include_inactive || filter.deleted,
                    filter.deleted,
                    key,
                    id,
                    limit as i64
                ],
                Member::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// How many members the filter shows. Without filter text the count is exact and reads
    /// only the `member_state` index; with filter text it stops at [`MEMBER_COUNT_CAP`], so that
    /// typing stays fast on a huge registry (the list shows "10000+").
    pub fn count_members(&self, filter: &MemberFilter) -> StoreResult<i64> {
        let text = like_pattern(&filter.text);
        if text.is_empty() {
            let sql = match (filter.deleted, filter.include_inactive) {
                (true, _) => "SELECT count(*) FROM member WHERE deleted_at IS NOT NULL",
                (false, true) => "SELECT count(*) FROM member WHERE deleted_at IS NULL",
                (false, false) => {
                    "SELECT count(*) FROM member WHERE deleted_at IS NULL AND active = 1"
                }
            };
            return Ok(self
                .conn()
                .prepare_cached(sql)?
                .query_row([], |row| row.get(0))?);
        }
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM member WHERE {FILTER_SQL} LIMIT {MEMBER_COUNT_CAP})"
        );
        Ok(self.conn().prepare_cached(&sql)?.query_row(
            params![
                text,
                filter.include_inactive || filter.deleted,
                filter.deleted
            ],
            |row| row.get(0),
        )?)
    }

    /// The position of `member` in the registry's order.
    pub fn member_cursor(member: &Member) -> MemberCursor {
        (name_key(&member.fields.name), member.meta.id)
    }

    /// Sets or replaces a member's desk PIN (4–6 digits), stored as an Argon2 hash.
    pub fn set_member_pin(&mut self, member_id: Uuid, pin: &str) -> StoreResult<()> {
        let pin = validate::pin(pin).map_err(|e| StoreError::Invalid(vec![("pin", e)]))?;
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| StoreError::Key(e.to_string()))?;
        let hash = Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .map_err(|e| StoreError::Key(e.to_string()))?
            .to_string();
        self.conn().execute(
            "INSERT INTO member_pin (member_id, pin_hash, set_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (member_id) DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at",
            params![member_id.to_string(), hash, format_time(&chrono::Utc::now())],
        )?;
        Ok(())
    }

    /// Removes a member's PIN: they sign in by picking their name alone.
    pub fn clear_member_pin(&mut self, member_id: Uuid) -> StoreResult<()> {
        self.conn().execute(
            "DELETE FROM member_pin WHERE member_id = ?1",
            [member_id.to_string()],
        )?;
        Ok(())
    }

    /// Whether any member has a PIN.
    pub fn any_member_pin(&self) -> StoreResult<bool> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM member_pin)", [], |row| {
                row.get(0)
            })?)
    }

    /// Whether the desk requires a member's PIN to unlock and to change anything (setting
    /// `require_pin`): on by default once any member has a PIN.
    pub fn pins_required(&self) -> StoreResult<bool> {
        match self.setting("require_pin")?.as_deref() {
            Some("1") => Ok(true),
            Some("0") => Ok(false),
            _ => self.any_member_pin(),
        }
    }

    pub fn member_has_pin(&self, member_id: Uuid) -> StoreResult<bool> {
        Ok(self.pin_hash(member_id)?.is_some())
    }

    /// Whether `pin` is the member's PIN; a member without a PIN accepts any (empty) entry.
    pub fn verify_member_pin(&self, member_id: Uuid, pin: &str) -> StoreResult<bool> {
        let Some(hash) = self.pin_hash(member_id)? else {
            return Ok(true);
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Key(e.to_string()))?;
        Ok(Argon2::default()
            .verify_password(pin.trim().as_bytes(), &parsed)
            .is_ok())
    }

    /// A PIN typed at the desk's lock, counted against the limit on wrong PINs
    /// ([`crate::domain::lockout`]): the count and the end of the wait are kept in the database,
    /// so a restart does not reset them. While the desk waits, no PIN is checked.
    pub fn try_member_pin(
        &mut self,
        member_id: Uuid,
        pin: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<PinAttempt> {
        // Both settings are written here alone; a value that does not read (never written, or
        // changed by hand) counts as no wait and no wrong PIN so far.
        let until = self
            .setting(PIN_WAIT_UNTIL)?
            .and_then(|t| super::parse_time(&t).ok());
        if let Some(until) = until.filter(|u| *u > now) {
            return Ok(PinAttempt::Wait {
                seconds: (until - now).num_seconds().max(1),
            });
        }
        if self.verify_member_pin(member_id, pin)? {
            self.set_setting(PIN_FAILURES, "0")?;
            return Ok(PinAttempt::Right);
        }
        let failures = self
            .setting(PIN_FAILURES)?
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
            .saturating_add(1);
        self.set_setting(PIN_FAILURES, &failures.to_string())?;
        match crate::domain::lockout::wait_after(failures) {
            Some(seconds) => {
                let until = now + chrono::Duration::seconds(seconds);
                self.set_setting(PIN_WAIT_UNTIL, &super::format_time(&until))?;
                Ok(PinAttempt::Wait { seconds })
            }
            None => Ok(PinAttempt::Wrong),
        }
    }

    fn pin_hash(&self, member_id: Uuid) -> StoreResult<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT pin_hash FROM member_pin WHERE member_id = ?1",
                [member_id.to_string()],
                |row| row.get(0),
            )
            .optional()?)
    }
}

/// The settings that keep the count of wrong PINs in a row and the end of the wait.
const PIN_FAILURES: &str = "pin_failures";
const PIN_WAIT_UNTIL: &str = "pin_wait_until";

/// What a PIN typed at the lock came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinAttempt {
    Right,
    Wrong,
    /// Too many wrong PINs: the desk takes the next one in `seconds`.
    Wait {
        seconds: i64,
    },
}

impl Store {
    /// The active members named exactly `name`, but `except` (the member being edited).
    pub fn active_members_named(
        &self,
        name: &str,
        except: Option<Uuid>,
    ) -> StoreResult<Vec<Member>> {
        let sql = format!(
            "SELECT {} FROM member WHERE name = ?1 AND active = 1 AND deleted_at IS NULL
             ORDER BY search_key, id LIMIT 20",
            Member::select_list()
        );
        let found = self
            .conn()
            .prepare_cached(&sql)?
            .query_map([name], Member::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(found
            .into_iter()
            .filter(|m| Some(m.meta.id) != except)
            .collect())
    }
}

/// Migration 18: members' names are sorted and found by their surname's reading (曾 is Zēng):
/// every member's key and search entry is made again.
pub(super) fn surname_keys(tx: &rusqlite::Transaction<'_>) -> StoreResult<()> {
    let members = tx
        .prepare(&format!("SELECT {} FROM member", Member::select_list()))?
        .query_map([], Member::read_row)?
        .collect::<Result<Vec<_>, _>>()?;
    for member in &members {
        tx.execute(
            "UPDATE member SET search_key = ?1 WHERE id = ?2",
            rusqlite::params![name_key(&member.fields.name), member.meta.id.to_string()],
        )?;
        super::search::unindex(tx, member.meta.id)?;
        super::search::index(tx, member)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern(" 50%_a\\ "), "50\\%\\_a\\\\");
        assert_eq!(like_pattern("ZS"), "zs");
    }
}
