//! Adding and editing a member.

use uuid::Uuid;

use crate::domain::{validate, Gender, Level, Member, MemberFields};
use crate::i18n::{field_label, validation_message};
use crate::store::{Store, StoreError};
use crate::tui::widgets::form::{Choice, Field, Form};

pub struct MemberForm {
    pub form: Form,
    /// The member being edited; `None` for a new one.
    pub editing: Option<Uuid>,
    /// The name the member had when the form opened (editing).
    original_name: Option<String>,
    /// The person at the desk said yes to a second member of the same name.
    confirmed: bool,
}

fn choices_from(list: &[String], current: &str) -> Vec<Choice> {
    let mut options: Vec<Choice> = list.iter().map(|e| Choice::same(e)).collect();
    // A value no longer on the list (the list was edited) stays selectable.
    if !current.is_empty() && !options.iter().any(|o| o.value == current) {
        options.insert(0, Choice::same(current));
    }
    options.insert(0, Choice::new("", crate::tr!("form.none")));
    options
}

impl MemberForm {
    /// The form for `member` (or a new one); `sectors` and `parties` are the choice lists.
    pub fn new(
        member: Option<&Member>,
        has_pin: bool,
        sectors: &[String],
        parties: &[String],
    ) -> MemberForm {
        let blank = MemberFields {
            active: true,
            ..MemberFields::default()
        };
        let fields = member.map(|m| m.fields.clone()).unwrap_or(blank);
        let genders = Gender::ALL
            .iter()
            .map(|g| Choice::new(g.as_str(), crate::tr!(g.key())))
            .collect();
        let levels = Level::ALL
            .iter()
            .map(|l| Choice::new(l.as_str(), crate::tr!(l.key())))
            .collect();
        let pin_hint = if has_pin {
            crate::tr!("members.pin_keep")
        } else {
            crate::tr!("members.pin_none")
        };
        let mut fields_list = vec![
            Field::text("name", field_label("name"), &fields.name).required(),
            Field::choice(
                "gender",
                field_label("gender"),
                genders,
                fields.gender.as_str(),
            ),
            Field::choice(
                "sector",
                field_label("sector"),
                choices_from(sectors, &fields.sector),
                &fields.sector,
            ),
            Field::choice("level", field_label("level"), levels, fields.level.as_str()),
            Field::choice(
                "party",
                field_label("party"),
                choices_from(parties, &fields.party),
                &fields.party,
            ),
            Field::text("phone", field_label("phone"), &fields.phone),
            Field::multiline(
                "specialties",
                field_label("specialties"),
                &fields.specialties,
                3,
            ),
            Field::toggle("mediator", field_label("mediator"), fields.mediator),
            Field::toggle("active", field_label("active"), fields.active),
            Field::secret("pin", field_label("pin")).with_hint(pin_hint),
        ];
        if has_pin {
            // A member who no longer wants a PIN signs in by name alone.
            fields_list.push(Field::toggle(
                "clear_pin",
                crate::tr!("members.clear_pin"),
                false,
            ));
        }
        let form = Form::new(fields_list);
        MemberForm {
            form,
            editing: member.map(|m| m.meta.id),
            original_name: member.map(|m| m.fields.name.clone()),
            confirmed: false,
        }
    }

    pub fn title(&self) -> String {
        if self.editing.is_some() {
            crate::tr!("members.edit_title")
        } else {
            crate::tr!("members.new_title")
        }
    }

    /// A second active member of the same name is asked about once, naming who the other is
    /// (sector, phone ending): a duplicate typed by mistake splits a member's record in two.
    pub fn question(
        &mut self,
        store: &Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        if std::mem::take(&mut self.confirmed) || !self.form.check(today) {
            return Ok(None);
        }
        let name = self.form.value("name");
        // Only a new name is asked about: editing someone's phone asks nothing.
        if self.original_name.as_deref().map(str::trim) == Some(name.trim()) {
            return Ok(None);
        }
        let others = store.active_members_named(name.trim(), self.editing)?;
        let Some(other) = others.first() else {
            return Ok(None);
        };
        let phone: String = other
            .fields
            .phone
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let who = if phone.is_empty() {
            crate::tr!(
                "members.same_name_who",
                sector = crate::text::sanitize(&other.fields.sector)
            )
        } else {
            crate::tr!(
                "members.same_name_who_phone",
                sector = crate::text::sanitize(&other.fields.sector),
                phone = phone
            )
        };
        Ok(Some(crate::tr!(
            "members.confirm_same_name",
            name = crate::text::sanitize(name.trim()),
            who = who,
            count = others.len()
        )))
    }

    /// The question was answered yes.
    pub fn confirm(&mut self) {
        self.confirmed = true;
    }

    fn fields(&self) -> MemberFields {
        let f = &self.form;
        MemberFields {
            name: f.value("name"),
            gender: Gender::parse(&f.value("gender")).unwrap_or_default(),
            sector: f.value("sector"),
            level: Level::parse(&f.value("level")).unwrap_or_default(),
            party: f.value("party"),
            phone: f.value("phone"),
            specialties: f.value("specialties"),
            mediator: f.value("mediator") == "1",
            active: f.value("active") == "1",
        }
    }

    /// Checks and saves. `Ok(Some(member))` when saved; `Ok(None)` when the form shows what to
    /// fix; `Err` when the store failed.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<Member>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let fields = self.fields();
        let mut ok = true;
        if let Err(problems) = fields.validate() {
            for (field, problem) in problems {
                self.form.set_error(field, validation_message(&problem));
            }
            ok = false;
        }
        let pin = self.form.value("pin");
        if !pin.is_empty() {
            if let Err(problem) = validate::pin(&pin) {
                self.form.set_error("pin", validation_message(&problem));
                ok = false;
            }
        }
        if !ok {
            self.form.focus_first_error();
            return Ok(None);
        }
        let saved = match self.editing {
            Some(id) => store.edit_member(id, &fields)?,
            None => store.add_member(&fields)?,
        };
        if !pin.is_empty() {
            store.set_member_pin(saved.meta.id, &pin)?;
        } else if self.form.value("clear_pin") == "1" {
            store.clear_member_pin(saved.meta.id)?;
        }
        self.form.mark_saved();
        Ok(Some(saved))
    }
}
