//! Reusable widgets. None of them knows about records.

pub mod form;
pub mod frame;
pub mod keybar;
pub mod list_table;
pub mod popup;
pub mod query_list;
pub mod single_line;
pub mod window;
pub mod wrapped;
