//! One module a screen: its state, what its actions do, and how it is drawn.

pub mod home;
pub mod lock;
pub mod member_form;
pub mod members;
pub mod settings;
pub mod signin;
pub mod wizard;
