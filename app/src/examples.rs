//! The bundled example charts (public/examples/), compiled into the page so
//! the first render and the gallery need no fetch. Each is small text.

macro_rules! files {
    ($dir:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../public/examples/", $dir, "/", $path)))),*]
    };
}

/// One gallery entry.
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// The file the editor opens first.
    pub open: &'static str,
    /// (path relative to the chart root, contents).
    pub files: &'static [(&'static str, &'static str)],
}

/// Helm's `helm create` scaffold: what the page starts with.
pub const HELLO_WORLD: &[(&str, &str)] = files!("hello-world":
    "Chart.yaml", "values.yaml", ".helmignore", "templates/NOTES.txt", "templates/_helpers.tpl",
    "templates/deployment.yaml", "templates/service.yaml", "templates/serviceaccount.yaml",
);

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "hello-world",
        title: "hello-world (helm create)",
        open: "templates/deployment.yaml",
        files: HELLO_WORLD,
    },
    Example {
        id: "umbrella",
        title: "Subchart + global values",
        open: "values.yaml",
        files: files!("umbrella":
            "Chart.yaml", "values.yaml", "templates/configmap.yaml",
            "charts/backend/Chart.yaml", "charts/backend/values.yaml", "charts/backend/templates/deployment.yaml",
        ),
    },
    Example {
        id: "hooks-notes",
        title: "Hooks + NOTES.txt",
        open: "templates/migrate-job.yaml",
        files: files!("hooks-notes":
            "Chart.yaml", "values.yaml", "templates/NOTES.txt", "templates/configmap.yaml",
            "templates/migrate-job.yaml", "templates/tests/test-db.yaml",
        ),
    },
    Example {
        id: "schema",
        title: "values.schema.json",
        open: "values.schema.json",
        files: files!("schema":
            "Chart.yaml", "values.yaml", "values.schema.json", "templates/deployment.yaml", "templates/service.yaml",
        ),
    },
];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
