//! stationdesk: the duty desk of a committee member working station (委员工作站).
//!
//! Layers call only downward: `tui` → `store` / `bundle` → `domain`.

rust_i18n::i18n!("assets/locales", fallback = "en");

pub mod bundle;
pub mod clock;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod memory;
pub mod messages;
pub mod panics;
pub mod store;
pub mod text;
pub mod tui;
