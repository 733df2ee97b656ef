//! A window of rows over a long ordered list, moved with keyset queries: only the rows on
//! screen are ever fetched, whatever the list's length. Knows nothing about records: a
//! [`PageSource`] says how to fetch.

/// How a list is fetched in order.
pub trait PageSource {
    type Row: Clone;
    type Cursor: Clone;
    type Error;

    /// The position of a row in the order.
    fn cursor(row: &Self::Row) -> Self::Cursor;
    /// Up to `limit` rows after `cursor` (from the start when `None`).
    fn after(
        &self,
        cursor: Option<&Self::Cursor>,
        limit: usize,
    ) -> Result<Vec<Self::Row>, Self::Error>;
    /// Up to `limit` rows just before `cursor`, in list order.
    fn before(&self, cursor: &Self::Cursor, limit: usize) -> Result<Vec<Self::Row>, Self::Error>;
    /// The last `limit` rows, in list order.
    fn last(&self, limit: usize) -> Result<Vec<Self::Row>, Self::Error>;
}

/// The rows on screen, the selected one, and where the window starts.
pub struct Window<R, C> {
    pub rows: Vec<R>,
    pub selected: usize,
    /// The row just before the first one on screen (`None`: the list starts at the top).
    anchor: Option<C>,
    /// How many rows fit.
    pub page: usize,
}

impl<R, C> Default for Window<R, C> {
    fn default() -> Window<R, C> {
        Window {
            rows: Vec::new(),
            selected: 0,
            anchor: None,
            page: 1,
        }
    }
}

impl<R: Clone, C: Clone> Window<R, C> {
    pub fn selected_row(&self) -> Option<&R> {
        self.rows.get(self.selected)
    }

    fn size(&self) -> usize {
        self.page.max(1)
    }

    /// Fetches the window from its anchor again (after a change or a resize).
    pub fn reload<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
    ) -> Result<(), S::Error> {
        self.rows = source.after(self.anchor.as_ref(), self.size())?;
        if self.rows.is_empty() && self.anchor.is_some() {
            self.anchor = None;
            self.rows = source.after(None, self.size())?;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Back to the top (after the filter changed).
    pub fn first<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
    ) -> Result<(), S::Error> {
        self.anchor = None;
        self.selected = 0;
        self.reload(source)
    }

    pub fn set_page<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
        page: usize,
    ) -> Result<(), S::Error> {
        if page.max(1) != self.page {
            self.page = page.max(1);
            self.reload(source)?;
        }
        Ok(())
    }

    pub fn down<S: PageSource<Row = R, Cursor = C>>(&mut self, source: &S) -> Result<(), S::Error> {
        if self.selected + 1 < self.rows.len() {
            self.selected += 1;
            return Ok(());
        }
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        if let Some(next) = source.after(Some(&S::cursor(last)), 1)?.into_iter().next() {
            if !self.rows.is_empty() {
                let first = self.rows.remove(0);
                self.anchor = Some(S::cursor(&first));
            }
            self.rows.push(next);
            self.selected = self.rows.len() - 1;
        }
        Ok(())
    }

    pub fn up<S: PageSource<Row = R, Cursor = C>>(&mut self, source: &S) -> Result<(), S::Error> {
        if self.selected > 0 {
            self.selected -= 1;
            return Ok(());
        }
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let previous = source.before(&S::cursor(first), 2)?;
        if let Some(prev) = previous.last().cloned() {
            self.anchor = previous
                .len()
                .checked_sub(2)
                .map(|i| S::cursor(&previous[i]));
            self.rows.insert(0, prev);
            self.rows.truncate(self.size());
            self.selected = 0;
        }
        Ok(())
    }

    pub fn page_down<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
    ) -> Result<(), S::Error> {
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        let cursor = S::cursor(last);
        let next = source.after(Some(&cursor), self.size())?;
        if next.is_empty() {
            self.selected = self.rows.len().saturating_sub(1);
        } else {
            self.anchor = Some(cursor);
            self.rows = next;
            self.selected = self.selected.min(self.rows.len() - 1);
        }
        Ok(())
    }

    pub fn page_up<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
    ) -> Result<(), S::Error> {
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let before = source.before(&S::cursor(first), self.size() + 1)?;
        if before.is_empty() {
            self.selected = 0;
            return Ok(());
        }
        self.anchor = if before.len() > self.size() {
            Some(S::cursor(&before[0]))
        } else {
            None
        };
        self.reload(source)
    }

    pub fn last<S: PageSource<Row = R, Cursor = C>>(&mut self, source: &S) -> Result<(), S::Error> {
        let tail = source.last(self.size() + 1)?;
        self.anchor = if tail.len() > self.size() {
            tail.first().map(S::cursor)
        } else {
            None
        };
        self.reload(source)?;
        self.selected = self.rows.len().saturating_sub(1);
        Ok(())
    }

    /// Puts the row at `cursor` first on screen and selects the row `is_it` picks.
    pub fn show<S: PageSource<Row = R, Cursor = C>>(
        &mut self,
        source: &S,
        cursor: &C,
        is_it: impl Fn(&R) -> bool,
    ) -> Result<(), S::Error> {
        // The row in the middle of the window, with the rows before it above (or from the top
        // of the list when it is near the top).
        let half = self.size() / 2;
        let above = source.before(cursor, half + 1)?;
        self.anchor = if above.len() > half {
            above.first().map(S::cursor)
        } else {
            None
        };
        self.reload(source)?;
        self.selected = self.rows.iter().position(is_it).unwrap_or(0);
        Ok(())
    }
}
