//! Members typed by name in a form (participants, authors, who took part): the one lookup
//! every form that takes names uses.

use uuid::Uuid;

use crate::tui::widgets::form::Form;

/// Member ids from names, one a line; unknown names are an error on `field`.
pub fn members_named(
    form: &mut Form,
    field: &'static str,
    members: &[(Uuid, String)],
) -> Option<Vec<Uuid>> {
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for name in form
        .value(field)
        .split(['\n', '、', ',', '，', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        match members.iter().find(|(_, n)| n == name) {
            Some((id, _)) if !ids.contains(id) => ids.push(*id),
            Some(_) => {}
            None => unknown.push(name.to_string()),
        }
    }
    if unknown.is_empty() {
        Some(ids)
    } else {
        form.set_error(
            field,
            crate::tr!("rotation.unknown_member", name = unknown.join("、")),
        );
        None
    }
}
