//! Desk sign-in: the duty member picks their name (type to filter), then gives their PIN if
//! they have one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};
use uuid::Uuid;

use crate::domain::Member;
use crate::store::{MemberFilter, Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::popup::{block, centered};
use crate::tui::widgets::query_list::QueryList;
use crate::tui::widgets::single_line::SingleLine;

/// Names shown at once in the picker.
const SHOWN: usize = 10;

#[derive(Default)]
pub struct SignInPicker {
    pub list: QueryList<Member>,
    /// Opened for a change asked while nobody was signed in: it goes on after the sign-in.
    pub before_change: bool,
}

/// The active members whose name (or pinyin) matches.
pub fn matching_members(store: &Store, text: &str) -> StoreResult<Vec<Member>> {
    let filter = MemberFilter {
        text: text.to_string(),
        include_inactive: false,
        deleted: false,
    };
    store.members_after(&filter, None, 50)
}

impl SignInPicker {
    pub fn open(store: &Store) -> StoreResult<SignInPicker> {
        let mut picker = SignInPicker::default();
        picker.list.refresh(|q| matching_members(store, q))?;
        Ok(picker)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let popup = centered(area, 44, SHOWN as u16 + 5);
        crate::tui::widgets::popup::clear(popup, buf);
        let title = if self.before_change {
            crate::tr!("signin.first_title")
        } else {
            crate::tr!("signin.title")
        };
        block(&title).render(popup, buf);
        let inner = Rect::new(
            popup.x + 2,
            popup.y + 1,
            popup.width.saturating_sub(4),
            popup.height.saturating_sub(2),
        );
        let caret = self
            .list
            .render_query(&crate::tr!("signin.prompt"), inner, u16::MAX, buf);
        if self.before_change {
            Paragraph::new(crate::tr!("signin.first_hint"))
                .style(theme::hint())
                .render(Rect::new(inner.x, inner.y + 1, inner.width, 1), buf);
        }
        let start = self.list.selected.saturating_sub(SHOWN - 1);
        for (row, (index, member)) in self
            .list
            .items
            .iter()
            .enumerate()
            .skip(start)
            .take(SHOWN)
            .enumerate()
        {
            let style = if index == self.list.selected {
                theme::selected()
            } else {
                theme::popup()
            };
            let text = format!(
                " {}  {}",
                sanitize(&member.fields.name),
                sanitize(&member.fields.sector)
            );
            Paragraph::new(Line::raw(text)).style(style).render(
                Rect::new(inner.x, inner.y + 2 + row as u16, inner.width, 1),
                buf,
            );
        }
        if self.list.items.is_empty() {
            Paragraph::new(crate::tr!("signin.nobody"))
                .style(theme::hint())
                .render(Rect::new(inner.x, inner.y + 2, inner.width, 1), buf);
        }
        caret
    }
}

/// The PIN prompt for a member who has one.
pub struct PinPrompt {
    pub member_id: Uuid,
    pub name: String,
    pub input: SingleLine,
    pub error: Option<String>,
}

impl PinPrompt {
    pub fn new(member: &Member) -> PinPrompt {
        PinPrompt {
            member_id: member.meta.id,
            name: member.fields.name.clone(),
            input: SingleLine::masked(),
            error: None,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let popup = centered(area, 44, 7);
        crate::tui::widgets::popup::clear(popup, buf);
        block(&crate::tr!("signin.pin_title", name = sanitize(&self.name))).render(popup, buf);
        let inner = Rect::new(popup.x + 2, popup.y + 2, popup.width.saturating_sub(4), 1);
        let prompt = crate::tr!("signin.pin_prompt");
        let prompt_width = unicode_width::UnicodeWidthStr::width(prompt.as_str()) as u16 + 1;
        Paragraph::new(prompt)
            .style(theme::popup())
            .render(Rect::new(inner.x, inner.y, prompt_width, 1), buf);
        let caret = self.input.render(
            Rect::new(
                inner.x + prompt_width,
                inner.y,
                10.min(inner.width.saturating_sub(prompt_width)),
                1,
            ),
            buf,
            true,
        );
        if let Some(error) = &self.error {
            Paragraph::new(error.as_str())
                .style(theme::error())
                .render(Rect::new(inner.x, inner.y + 2, inner.width, 1), buf);
        }
        caret
    }
}
