//! The member registry's forms on the desk.

use super::*;

impl DeskForm for MemberForm {
    fn title(&self, _app: &App) -> String {
        MemberForm::title(self)
    }

    fn after_save(&self, member: Member, app: &mut App) {
        app.say(crate::tr!(
            "members.saved",
            name = crate::text::sanitize(&member.fields.name)
        ));
        if let Err(e) = app.members.show(&app.store, &member) {
            app.fail(&e);
        }
        app.refresh_counts();
    }
}
