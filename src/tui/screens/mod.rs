//! One module a screen: its state, what its actions do, and how it is drawn.

pub mod home;
pub mod intake_detail;
pub mod intake_form;
pub mod intakes;
pub mod lock;
pub mod member_form;
pub mod members;
pub mod search;
pub mod settings;
pub mod signin;
pub mod wizard;
