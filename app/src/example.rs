//! The chart the page starts with: Helm's `helm create` scaffold
//! ("hello-world"), bundled into the wasm so the first render needs no fetch.

macro_rules! example_file {
    ($path:literal) => {
        ($path, include_str!(concat!("../../public/examples/hello-world/", $path)))
    };
}

/// (path relative to the chart root, contents).
pub const HELLO_WORLD: &[(&str, &str)] = &[
    example_file!("Chart.yaml"),
    example_file!("values.yaml"),
    example_file!(".helmignore"),
    example_file!("templates/NOTES.txt"),
    example_file!("templates/_helpers.tpl"),
    example_file!("templates/deployment.yaml"),
    example_file!("templates/service.yaml"),
    example_file!("templates/serviceaccount.yaml"),
];
