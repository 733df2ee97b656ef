//! A query box over a list of results that follows what is typed (the sign-in picker, the
//! search box). Knows nothing about what the rows are: the owner says how to fetch them.

use crate::tui::action::Action;
use crate::tui::widgets::single_line::SingleLine;

pub struct QueryList<T> {
    pub input: SingleLine,
    pub items: Vec<T>,
    pub selected: usize,
}

impl<T> Default for QueryList<T> {
    fn default() -> QueryList<T> {
        QueryList {
            input: SingleLine::new(),
            items: Vec::new(),
            selected: 0,
        }
    }
}

impl<T> QueryList<T> {
    /// Fetches the rows for the current query.
    pub fn refresh<E>(&mut self, fetch: impl FnOnce(&str) -> Result<Vec<T>, E>) -> Result<(), E> {
        self.items = fetch(&self.input.value())?;
        self.selected = 0;
        Ok(())
    }

    /// Typing, pasting and moving; fetches again when the query changed. Returns whether the
    /// action was one of these.
    pub fn handle<E>(
        &mut self,
        action: &Action,
        fetch: impl FnOnce(&str) -> Result<Vec<T>, E>,
    ) -> Result<bool, E> {
        let changed = match action {
            Action::Input(key) => self.input.input(*key),
            Action::Paste(text) => self.input.paste(text),
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                return Ok(true);
            }
            Action::Down => {
                if self.selected + 1 < self.items.len() {
                    self.selected += 1;
                }
                return Ok(true);
            }
            _ => return Ok(false),
        };
        if changed {
            self.refresh(fetch)?;
        }
        Ok(true)
    }

    /// The prompt and the query box on the first row of `inner`, the box at most `max_width`
    /// wide; returns where the caret is.
    pub fn render_query(
        &self,
        prompt: &str,
        inner: ratatui::layout::Rect,
        max_width: u16,
        buf: &mut ratatui::buffer::Buffer,
    ) -> Option<ratatui::layout::Position> {
        use ratatui::widgets::Widget;
        let prompt_width = unicode_width::UnicodeWidthStr::width(prompt) as u16 + 1;
        ratatui::widgets::Paragraph::new(prompt)
            .style(crate::tui::theme::popup())
            .render(
                ratatui::layout::Rect::new(inner.x, inner.y, prompt_width, 1),
                buf,
            );
        self.input.render(
            ratatui::layout::Rect::new(
                inner.x + prompt_width,
                inner.y,
                inner.width.saturating_sub(prompt_width).min(max_width),
                1,
            ),
            buf,
            true,
        )
    }

    pub fn chosen(&self) -> Option<&T> {
        self.items.get(self.selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn typing_fetches_and_moving_stays_in_bounds() {
        let mut list: QueryList<String> = QueryList::default();
        let fetch =
            |q: &str| -> Result<Vec<String>, ()> { Ok(vec![format!("{q}1"), format!("{q}2")]) };
        let key = Action::Input(KeyEvent::new(KeyCode::Char('张'), KeyModifiers::NONE));
        assert_eq!(list.handle(&key, fetch), Ok(true));
        assert_eq!(list.items, vec!["张1", "张2"]);
        for _ in 0..5 {
            let _ = list.handle(&Action::Down, fetch);
        }
        assert_eq!(list.chosen().map(String::as_str), Some("张2"));
        assert_eq!(list.handle(&Action::Save, fetch), Ok(false));
    }
}
