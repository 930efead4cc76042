//! Helm's global settings (pkg/cli/environment.go `EnvSettings.AddFlags`,
//! helmpath's XDG locations) as persistent flags of the root command, and
//! klog's hidden flags Helm also accepts (pkg/cmd/flags.go addKlogFlags).

use crate::pflag::{Flag, Kind};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

fn env_or(name: &str, def: String) -> String {
    std::env::var(name).unwrap_or(def)
}

fn home() -> String {
    env("HOME")
}

/// helmpath's lazypath: `$HELM_*_HOME/elem`, else `$XDG_*_HOME/helm/elem`,
/// else `~/.xxx/helm/elem`.
fn helm_path(helm_var: &str, xdg_var: &str, default_base: &str, elem: &str) -> String {
    let join = |a: &str, b: &str| if b.is_empty() { a.to_string() } else { format!("{}/{b}", a.trim_end_matches('/')) };
    let base = env(helm_var);
    if !base.is_empty() {
        return join(&base, elem);
    }
    let mut base = env(xdg_var);
    if base.is_empty() {
        base = format!("{}/{default_base}", home());
    }
    join(&join(&base, "helm"), elem)
}

pub fn config_path(elem: &str) -> String {
    helm_path("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config", elem)
}

pub fn cache_path(elem: &str) -> String {
    helm_path("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache", elem)
}

pub fn data_path(elem: &str) -> String {
    helm_path("HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share", elem)
}

/// `settings.PluginsDirectory`: `$HELM_PLUGINS` or the data path.
pub fn plugins_directory() -> String {
    env_or("HELM_PLUGINS", data_path("plugins"))
}

/// `defaultKeyring()` (pkg/cmd/dependency_build.go).
pub fn default_keyring() -> String {
    match std::env::var("GNUPGHOME") {
        Ok(v) => format!("{}/pubring.gpg", v.trim_end_matches('/')),
        Err(_) => format!("{}/.gnupg/pubring.gpg", home()),
    }
}

fn env_color_mode() -> String {
    if std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty()) {
        return "never".into();
    }
    if let Ok(v) = std::env::var("HELM_COLOR") {
        let v = v.to_lowercase();
        if matches!(v.as_str(), "never" | "auto" | "always") {
            return v;
        }
    }
    "auto".into()
}

/// The root command's persistent flags, in Helm's words and defaults.
pub fn global_flags() -> Vec<Flag> {
    let s = |name, short, def: String, usage| Flag::new(name, short, Kind::String, &def, usage);
    let debug = crate::pflag::parse_bool(&env("HELM_DEBUG")).unwrap_or(false);
    let insecure = crate::pflag::parse_bool(&env("HELM_KUBEINSECURE_SKIP_TLS_VERIFY")).unwrap_or(false);
    let burst = env("HELM_BURST_LIMIT").parse::<i64>().unwrap_or(100);
    let qps = env("HELM_QPS").parse::<f32>().map(|q| q.to_string()).unwrap_or_else(|_| "0".into());
    let mut v = vec![
        s("namespace", Some('n'), env("HELM_NAMESPACE"), "namespace scope for this request"),
        s("kubeconfig", None, String::new(), "path to the kubeconfig file"),
        s("kube-context", None, env("HELM_KUBECONTEXT"), "name of the kubeconfig context to use"),
        s("kube-token", None, env("HELM_KUBETOKEN"), "bearer token used for authentication"),
        s("kube-as-user", None, env("HELM_KUBEASUSER"), "username to impersonate for the operation"),
        Flag::new(
            "kube-as-group",
            None,
            Kind::StringArray,
            "",
            "group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
        ),
        s("kube-apiserver", None, env("HELM_KUBEAPISERVER"), "the address and the port for the Kubernetes API server"),
        s(
            "kube-ca-file",
            None,
            env("HELM_KUBECAFILE"),
            "the certificate authority file for the Kubernetes API server connection",
        ),
        s(
            "kube-tls-server-name",
            None,
            env("HELM_KUBETLS_SERVER_NAME"),
            "server name to use for Kubernetes API server certificate validation. If it is not provided, the hostname used to contact the server is used",
        ),
        Flag::new(
            "kube-insecure-skip-tls-verify",
            None,
            Kind::Bool,
            if insecure { "true" } else { "false" },
            "if true, the Kubernetes API server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
        ),
        Flag::new("debug", None, Kind::Bool, if debug { "true" } else { "false" }, "enable verbose output"),
        s(
            "registry-config",
            None,
            env_or("HELM_REGISTRY_CONFIG", config_path("registry/config.json")),
            "path to the registry config file",
        ),
        s(
            "repository-config",
            None,
            env_or("HELM_REPOSITORY_CONFIG", config_path("repositories.yaml")),
            "path to the file containing repository names and URLs",
        ),
        s(
            "repository-cache",
            None,
            env_or("HELM_REPOSITORY_CACHE", cache_path("repository")),
            "path to the directory containing cached repository indexes",
        ),
        s(
            "content-cache",
            None,
            env_or("HELM_CONTENT_CACHE", cache_path("content")),
            "path to the directory containing cached content (e.g. charts)",
        ),
        Flag::new("burst-limit", None, Kind::Int, &burst.to_string(), "client-side default throttling limit"),
        Flag::new(
            "qps",
            None,
            Kind::Float32,
            &qps,
            "queries per second used when communicating with the Kubernetes API, not including bursting",
        ),
        s("color", None, env_color_mode(), "use colored output (never, auto, always)"),
        s("colour", None, env_color_mode(), "use colored output (never, auto, always)"),
    ];
    // klog's flags (hidden): accepted, never shown.
    for (name, kind, def) in [
        ("add-dir-header", Kind::Bool, "false"),
        ("alsologtostderr", Kind::Bool, "false"),
        ("log-backtrace-at", Kind::Custom("traceLocation"), ":0"),
        ("log-dir", Kind::String, ""),
        ("log-file", Kind::String, ""),
        ("log-file-max-size", Kind::Int, "1800"),
        ("logtostderr", Kind::Bool, "true"),
        ("one-output", Kind::Bool, "false"),
        ("skip-headers", Kind::Bool, "false"),
        ("skip-log-headers", Kind::Bool, "false"),
        ("stderrthreshold", Kind::Custom("severity"), "2"),
        ("v", Kind::Int, "0"),
        ("vmodule", Kind::Custom("moduleSpec"), ""),
    ] {
        let mut f = Flag::new(name, if name == "v" { Some('v') } else { None }, kind, def, "klog flag");
        f.hidden = true;
        v.push(f);
    }
    for f in &mut v {
        f.persistent = true;
    }
    v
}

/// cobra's `InitDefaultHelpFlag`.
pub fn help_flag(name: &str) -> Flag {
    Flag::new("help", Some('h'), Kind::Bool, "false", &format!("help for {name}"))
}
