//! `chartroom template …`: helm template's arguments and output.
fn main() {}
