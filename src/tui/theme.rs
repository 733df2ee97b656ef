//! Colours and styles. Only the 16 basic colours, so that the Windows console, 256-colour and
//! true-colour terminals all show the same thing; emphasis relies on bold and reverse video too.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

pub fn status() -> Style {
    Style::default().fg(Color::Black).bg(Color::Cyan)
}

pub fn label() -> Style {
    Style::default()
}

pub fn focus_label() -> Style {
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn required() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn editor() -> Style {
    Style::default().add_modifier(Modifier::UNDERLINED)
}

pub fn editor_focus() -> Style {
    Style::default().fg(Color::White).bg(Color::Blue)
}

pub fn cursor() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn error() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn success() -> Style {
    Style::default()
        .fg(Color::Green)
        .add_modifier(Modifier::BOLD)
}

pub fn hint() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}

pub fn muted() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn popup() -> Style {
    Style::default().fg(Color::White).bg(Color::Black)
}

pub fn key() -> Style {
    Style::default().fg(Color::Black).bg(Color::White)
}

pub fn header() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}
