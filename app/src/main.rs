//! The page entry point: mounts the app into <body>.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(chartroom_app::App);
}
