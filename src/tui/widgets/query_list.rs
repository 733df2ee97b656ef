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
