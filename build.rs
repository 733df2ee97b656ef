//! The locale files are read at compile time by rust-i18n: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=assets/locales");
    println!("cargo:rerun-if-changed=assets/migrations");
    println!("cargo:rerun-if-changed=assets/lists");
}
