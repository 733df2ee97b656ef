//! Drawing a form: labels, editors, the sections' titles, messages beside the fields, and the
//! dropdown of a focused choice. Only draws; editing is the form's own (`mod.rs`).

use super::*;

impl Form {
    /// Draws the form into `area` and returns where the caret is, for the IME.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Caret {
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label.width() + 2)
            .max()
            .unwrap_or(8)
            .min(area.width as usize / 3) as u16;
        // Room for the editor, and to its right ~30 columns for the message or hint.
        let editor_width = area
            .width
            .saturating_sub(label_width + 1)
            .saturating_sub(30)
            .clamp(16, 48)
            .min(area.width.saturating_sub(label_width));
        // A long form scrolls: the first fields give way until the focused one fits.
        // A multi-line field takes the whole width while it has nothing to say beside it.
        let full_width = area.width.saturating_sub(label_width + 1).max(editor_width);
        let width_of = |f: &Field| match f.kind {
            FieldKind::Multiline(_)
                if f.error.is_none() && (f.hint.is_none() || !f.value().is_empty()) =>
            {
                full_width
            }
            _ => editor_width,
        };
        let mut heights: Vec<u16> = self.fields.iter().map(|f| f.height(width_of(f))).collect();
        // A form in sections shows the sections' titles, the current one marked, and its
        // fields only.
        let mut area = area;
        let mut range = 0..self.fields.len();
        if let Some((current, fields)) = self.section() {
            let mut spans = Vec::new();
            for (index, (start, title)) in self.sections.iter().enumerate() {
                let end = self
                    .sections
                    .get(index + 1)
                    .map(|(at, _)| *at)
                    .unwrap_or(self.fields.len());
                // A section with something to fix says so in its title.
                let wrong = self.fields[*start..end].iter().any(|f| f.error.is_some());
                let style = if index == current {
                    theme::selected()
                } else if wrong {
                    theme::error()
                } else {
                    theme::hint()
                };
                let mark = if wrong { "!" } else { "" };
                spans.push(Span::styled(format!(" {}{mark} ", sanitize(title)), style));
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(
                crate::tr!("form.sections_keys"),
                theme::hint(),
            ));
            Paragraph::new(Line::from(spans)).render(Rect::new(area.x, area.y, area.width, 1), buf);
            area = Rect::new(
                area.x,
                area.y + 2.min(area.height),
                area.width,
                area.height.saturating_sub(2),
            );
            range = fields;
        }
        // The focused multi-line field grows into the rows the window can give it, up to its
        // whole text, so that it does not scroll while rows below it stand empty.
        if let Some(field) = self.fields.get(self.focus) {
            if matches!(field.kind, FieldKind::Multiline(_)) && range.contains(&self.focus) {
                // The fields above it stay; those below give way (Tab brings them back).
                let above: u16 = heights[range.start..self.focus].iter().sum();
                let room = area.height.saturating_sub(above);
                let whole = field.wrapped_rows(width_of(field));
                let own = heights[self.focus];
                heights[self.focus] = own.max(whole.min(room));
            }
        }
        let mut first = range.start;
        while first < self.focus
            && heights[first..=self.focus.min(heights.len().saturating_sub(1))]
                .iter()
                .sum::<u16>()
                > area.height
        {
            first += 1;
        }
        let mut y = area.y;
        let mut caret = None;
        let mut dropdown = None;
        for (index, field) in self.fields.iter().enumerate().take(range.end).skip(first) {
            let height = heights[index];
            if y + height > area.y + area.height {
                break;
            }
            let focused = index == self.focus;
            let marker = if field.required { "*" } else { " " };
            let label_style = if focused {
                theme::focus_label()
            } else {
                theme::label()
            };
            Paragraph::new(Line::from(vec![
                Span::styled(marker, theme::required()),
                Span::styled(sanitize(&field.label).into_owned(), label_style),
            ]))
            .render(Rect::new(area.x, y, label_width, 1), buf);
            let editor_area = Rect::new(area.x + label_width, y, width_of(field), height);
            let after_x = editor_area.x + editor_area.width + 1;
            let after = Rect::new(after_x, y, (area.x + area.width).saturating_sub(after_x), 1);
            match &field.kind {
                FieldKind::Choice { options, selected } => {
                    let no_match = crate::tr!("form.no_match");
                    let label = options
                        .get(*selected)
                        .map(|o| o.label.as_str())
                        .unwrap_or(no_match.as_str());
                    let filter = field.editor.lines().join("");
                    let text = if focused {
                        format!("< {} >", sanitize(label))
                    } else {
                        sanitize(label).into_owned()
                    };
                    let style = if focused {
                        theme::editor_focus()
                    } else {
                        theme::editor()
                    };
                    Paragraph::new(text).style(style).render(editor_area, buf);
                    if focused {
                        // What is wrong comes first (a filter that matched nothing leaves
                        // the choice empty), then the filter typed.
                        let filter = format!("{} {}", crate::tr!("form.filter"), sanitize(&filter));
                        let (shown, style) = match &field.error {
                            Some(error) => (format!("! {error}  {filter}"), theme::error()),
                            None => (filter, theme::hint()),
                        };
                        Paragraph::new(shown.as_str())
                            .style(style)
                            .render(after, buf);
                        dropdown = Some((index, editor_area));
                        caret = Some(Position::new(
                            (after.x + shown.width() as u16)
                                .min(area.x + area.width.saturating_sub(1)),
                            y,
                        ));
                    }
                }
                FieldKind::Toggle(on) => {
                    let text = if *on {
                        crate::tr!("form.yes")
                    } else {
                        crate::tr!("form.no")
                    };
                    let style = if focused {
                        theme::editor_focus()
                    } else {
                        theme::editor()
                    };
                    Paragraph::new(format!("[{}] {text}", if *on { "x" } else { " " }))
                        .style(style)
                        .render(editor_area, buf);
                }
                _ => {
                    field.shown(editor_area.height);
                    let at = render_editor(&field.editor, editor_area, buf, focused);
                    if focused {
                        caret = at;
                    }
                }
            }
            if dropdown.map(|d| d.0) != Some(index) {
                if let Some(error) = &field.error {
                    Paragraph::new(format!("! {error}"))
                        .style(theme::error())
                        .render(after, buf);
                } else if let (Some(hint), true) = (&field.hint, field.value().is_empty()) {
                    Paragraph::new(hint.as_str())
                        .style(theme::hint())
                        .render(after, buf);
                }
            }
            y += height;
        }
        if let Some((index, editor_area)) = dropdown {
            self.render_dropdown(index, editor_area, area, buf);
        }
        caret
    }

    /// The options under a focused selection field, the chosen one highlighted.
    fn render_dropdown(&self, index: usize, editor_area: Rect, area: Rect, buf: &mut Buffer) {
        let field = &self.fields[index];
        let FieldKind::Choice { options, selected } = &field.kind else {
            return;
        };
        let matches = field.matches();
        // Under the field, or above it where there is more room there: never over the field
        // itself, whose filter is being typed.
        let wanted = (matches.len() as u16).min(6);
        let below = (area.y + area.height).saturating_sub(editor_area.y + 1);
        let above = editor_area.y.saturating_sub(area.y);
        let (top, rows) = if below < wanted && above > below {
            let rows = wanted.min(above);
            (editor_area.y - rows, rows)
        } else {
            (editor_area.y + 1, wanted.min(below))
        };
        if rows == 0 {
            return;
        }
        let at = matches.iter().position(|i| i == selected).unwrap_or(0);
        let start = at.saturating_sub(rows as usize - 1);
        let popup = Rect::new(editor_area.x, top, editor_area.width, rows);
        crate::tui::widgets::popup::clear(popup, buf);
        for (row, option_index) in matches.iter().skip(start).take(rows as usize).enumerate() {
            let option = &options[*option_index];
            let style = if option_index == selected {
                theme::selected()
            } else {
                theme::popup()
            };
            Paragraph::new(format!(" {}", sanitize(&option.label)))
                .style(style)
                .render(
                    Rect::new(popup.x, popup.y + row as u16, popup.width, 1),
                    buf,
                );
        }
    }
}
