//! The files in deploy/: the Kubernetes manifests' structure and the environment they set
//! (run against the release binary), Compose's likewise, the Dockerfile's build steps against
//! the operator docs, the dashboard and the docs against the metrics and the configuration;
//! the proxy in front of two nodes; `probe`, JSON logs, degraded readiness.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use futures_util::SinkExt;
use serde::Deserialize;
use serde_json::json;
use switchboard::config::Config;
use tokio::process::Command;
use tokio_tungstenite::tungstenite::Message;
use yaml_serde::Value as Yaml;

use crate::helpers::process::{Node, Output};
use crate::helpers::redis_server::RedisServer;
use crate::helpers::{
    free_port, http_get, prerequisites, repo_root, spawn_app, spawn_app_on_redis,
    switchboard_command, Client,
};

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every document of a YAML file.
fn yaml_docs(path: &str) -> Vec<Yaml> {
    yaml_serde::Deserializer::from_str(&read(path))
        .map(|doc| Yaml::deserialize(doc).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect()
}

/// Every Kubernetes object of deploy/k8s (the files kustomization.yaml lists), with its file.
fn k8s_objects() -> Vec<(String, Yaml)> {
    let kustomization = &yaml_docs("deploy/k8s/kustomization.yaml")[0];
    kustomization["resources"]
        .as_sequence()
        .expect("kustomization lists resources")
        .iter()
        .flat_map(|file| {
            let path = format!("deploy/k8s/{}", file.as_str().unwrap());
            yaml_docs(&path)
                .into_iter()
                .map(move |doc| (path.clone(), doc))
        })
        .collect()
}

fn object<'a>(objects: &'a [(String, Yaml)], kind: &str, name: &str) -> &'a Yaml {
    objects
        .iter()
        .map(|(_, o)| o)
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} named {name} in deploy/k8s"))
}

fn str_of(value: &Yaml) -> String {
    match value {
        Yaml::String(s) => s.clone(),
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn gateway_container(objects: &[(String, Yaml)]) -> &Yaml {
    let deployment = object(objects, "Deployment", "switchboard");
    deployment["spec"]["template"]["spec"]["containers"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "gateway")
        .expect("a container named gateway")
}

/// The environment the Deployment gives the gateway container: its ConfigMap and Secret
/// (`envFrom`), then its own `env` — every reference resolved, or the test fails naming it.
fn k8s_env(objects: &[(String, Yaml)]) -> BTreeMap<String, String> {
    let container = gateway_container(objects);
    let mut env = BTreeMap::new();
    let entries = |kind: &str, name: &str| -> BTreeMap<String, String> {
        let o = object(objects, kind, name);
        let map = if kind == "Secret" {
            &o["stringData"]
        } else {
            &o["data"]
        };
        map.as_mapping()
            .unwrap_or_else(|| panic!("{kind} {name} has no data"))
            .iter()
            .map(|(k, v)| (str_of(k), str_of(v)))
            .collect()
    };
    for source in container["envFrom"].as_sequence().into_iter().flatten() {
        if let Some(name) = source["configMapRef"]["name"].as_str() {
            env.extend(entries("ConfigMap", name));
        }
        if let Some(name) = source["secretRef"]["name"].as_str() {
            env.extend(entries("Secret", name));
        }
    }
    for var in container["env"].as_sequence().into_iter().flatten() {
        let name = str_of(&var["name"]);
        let value = if let Some(v) = var.get("value") {
            str_of(v)
        } else if let Some(r) = var["valueFrom"].get("secretKeyRef") {
            let all = entries("Secret", r["name"].as_str().unwrap());
            all.get(r["key"].as_str().unwrap())
                .unwrap_or_else(|| panic!("{name}: the Secret has no key {:?}", r["key"]))
                .clone()
        } else if let Some(r) = var["valueFrom"].get("configMapKeyRef") {
            let all = entries("ConfigMap", r["name"].as_str().unwrap());
            all.get(r["key"].as_str().unwrap())
                .unwrap_or_else(|| panic!("{name}: the ConfigMap has no key {:?}", r["key"]))
                .clone()
        } else {
            panic!("{name}: neither value nor a known valueFrom");
        };
        env.insert(name, value);
    }
    env
}

/// The environment compose.yaml gives a gateway node, `${VAR:?…}` filled from `given`,
/// `${VAR:-default}` from `given` or its default.
fn compose_env(given: &BTreeMap<&str, &str>) -> BTreeMap<String, String> {
    let compose = &yaml_docs("deploy/compose.yaml")[0];
    let node = &compose["services"]["gateway-1"];
    assert_eq!(
        node, &compose["services"]["gateway-2"],
        "both nodes run alike"
    );
    node["environment"]
        .as_mapping()
        .expect("environment as a map")
        .iter()
        .map(|(k, v)| {
            let raw = str_of(v);
            let value = match raw.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                Some(inner) => {
                    if let Some((var, _)) = inner.split_once(":?") {
                        given
                            .get(var)
                            .unwrap_or_else(|| panic!("compose requires {var}"))
                            .to_string()
                    } else if let Some((var, default)) = inner.split_once(":-") {
                        given.get(var).copied().unwrap_or(default).to_string()
                    } else {
                        given.get(inner).copied().unwrap_or("").to_string()
                    }
                }
                None => raw,
            };
            (str_of(k), value)
        })
        .collect()
}

/// Runs the release binary with a manifest's environment — only the addresses that exist
/// only where it is deployed made local — and checks it is ready on Redis and stops cleanly.
async fn serves_with(mut env: BTreeMap<String, String>, source: &str) {
    let release = prerequisites::release_binary();
    let redis = RedisServer::start().await;
    let port = free_port();
    for (name, local) in [
        ("SWITCHBOARD_LISTEN", format!("127.0.0.1:{port}")),
        ("SWITCHBOARD_REDIS_URL", redis.url()),
        ("SWITCHBOARD_CONTENT", repo_root().display().to_string()),
    ] {
        assert!(env.contains_key(name), "{source} sets {name}");
        env.insert(name.to_string(), local);
    }
    // Exactly what switchboard itself accepts (unknown SWITCHBOARD_* names are errors).
    Config::load(None, env.clone()).unwrap_or_else(|e| panic!("{source}: {e}"));
    let mut node = Node::spawn(&release, &std::env::temp_dir(), &env).await;
    let logged: Vec<serde_json::Value> = node
        .log_lines()
        .iter()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"))
        })
        .collect();
    assert!(
        logged.iter().all(|l| l["level"].is_string()
            && l["timestamp"].is_string()
            && l["fields"]["message"].is_string()),
        "{logged:?}"
    );
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let (status, body) = http_get(addr, "/readyz").await;
    assert_eq!(status, 200, "{source}: {body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["status"], "ready", "{body}");
    assert_eq!(ready["handoff_queue"], "redis", "{body}");
    assert_eq!(ready["locales"].as_array().unwrap().len(), 13, "{body}");
    let grace: u64 = env["SWITCHBOARD_SHUTDOWN_GRACE_S"].parse().unwrap();
    node.signal("TERM");
    let within = Duration::from_secs(grace + 5);
    assert_eq!(node.exited(within).await, Some(0), "{source}");
}

#[tokio::test]
async fn the_release_binary_is_ready_with_exactly_the_environment_of_the_kubernetes_manifests() {
    let objects = k8s_objects();
    let env = k8s_env(&objects);
    // The addresses replaced by local ones must agree with the manifests themselves.
    assert_eq!(env["SWITCHBOARD_LISTEN"], "0.0.0.0:8080");
    let redis = object(&objects, "Service", "redis");
    let redis_port = str_of(&redis["spec"]["ports"][0]["port"]);
    assert_eq!(
        env["SWITCHBOARD_REDIS_URL"],
        format!("redis://redis:{redis_port}/")
    );
    let mounts = &gateway_container(&objects)["volumeMounts"];
    assert!(
        mounts
            .as_sequence()
            .unwrap()
            .iter()
            .any(|m| m["mountPath"] == env["SWITCHBOARD_CONTENT"].as_str()),
        "the content folder is a mounted volume"
    );
    serves_with(env, "deploy/k8s").await;
}

#[tokio::test]
async fn the_release_binary_is_ready_with_exactly_the_environment_of_compose() {
    let env = compose_env(&BTreeMap::from([
        ("SWITCHBOARD_AGENTS", "ana:compose-test-token"),
        ("SWITCHBOARD_ADMIN_TOKEN", "compose-admin-token"),
    ]));
    assert_eq!(env["SWITCHBOARD_REDIS_URL"], "redis://redis:6379/");
    assert_eq!(env["SWITCHBOARD_CONTENT"], "/srv/switchboard");
    serves_with(env, "deploy/compose.yaml").await;
}

#[test]
fn the_kubernetes_objects_fit_together() {
    let objects = k8s_objects();
    for (file, o) in &objects {
        assert!(
            o["apiVersion"].is_string() && o["kind"].is_string(),
            "{file}"
        );
        assert_eq!(
            o["metadata"]["labels"]["app.kubernetes.io/name"],
            "switchboard",
            "{file}: {}",
            str_of(&o["metadata"]["name"])
        );
    }
    let deployment = object(&objects, "Deployment", "switchboard");
    let pod = &deployment["spec"]["template"];
    let pod_labels = pod["metadata"]["labels"].as_mapping().unwrap();
    let selects_pods = |selector: &Yaml, what: &str| {
        let selector = selector.as_mapping().expect(what);
        assert!(!selector.is_empty(), "{what}");
        for (k, v) in selector {
            assert_eq!(
                pod_labels.get(k),
                Some(v),
                "{what} selects the gateway pods"
            );
        }
    };
    selects_pods(&deployment["spec"]["selector"]["matchLabels"], "Deployment");
    let service = object(&objects, "Service", "switchboard");
    selects_pods(&service["spec"]["selector"], "Service");
    assert_eq!(service["spec"]["sessionAffinity"], "None");
    let pdb = object(&objects, "PodDisruptionBudget", "switchboard");
    selects_pods(
        &pdb["spec"]["selector"]["matchLabels"],
        "PodDisruptionBudget",
    );
    let hpa = object(&objects, "HorizontalPodAutoscaler", "switchboard");
    assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "Deployment");
    assert_eq!(hpa["spec"]["scaleTargetRef"]["name"], "switchboard");

    let env = k8s_env(&objects);
    let container = gateway_container(&objects);
    let http = container["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "http")
        .expect("a port named http");
    let listen_port = env["SWITCHBOARD_LISTEN"].rsplit(':').next().unwrap();
    assert_eq!(str_of(&http["containerPort"]), listen_port);
    assert_eq!(service["spec"]["ports"][0]["targetPort"], "http");
    let readiness = &container["readinessProbe"]["httpGet"];
    assert!(readiness["path"].as_str().unwrap().starts_with("/readyz"));
    assert_eq!(readiness["port"], "http");
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container["livenessProbe"]["httpGet"]["port"], "http");
    for c in pod["spec"]["containers"]
        .as_sequence()
        .unwrap()
        .iter()
        .chain(pod["spec"]["initContainers"].as_sequence().unwrap())
    {
        let requests = &c["resources"]["requests"];
        assert!(requests["cpu"].is_string() && requests["memory"].is_string());
    }
    // The drain fits in the grace period: preStop pause, then the gateway's own grace.
    let pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
        .as_u64()
        .expect("a preStop pause");
    let grace: u64 = env["SWITCHBOARD_SHUTDOWN_GRACE_S"].parse().unwrap();
    let termination = pod["spec"]["terminationGracePeriodSeconds"]
        .as_u64()
        .unwrap();
    assert!(
        pause + grace < termination,
        "{pause} + {grace} < {termination}"
    );
    // The user the image runs as, so that runAsNonRoot can hold.
    assert_eq!(pod["spec"]["securityContext"]["runAsNonRoot"], true);
    let uid = str_of(&pod["spec"]["securityContext"]["runAsUser"]);
    assert!(
        read("deploy/Dockerfile").contains(&format!("USER {uid}:{uid}")),
        "the image's USER is {uid}"
    );
    // Every image the pods run is pinned in kustomization.yaml.
    let kustomization = &yaml_docs("deploy/k8s/kustomization.yaml")[0];
    for c in pod["spec"]["containers"]
        .as_sequence()
        .unwrap()
        .iter()
        .chain(pod["spec"]["initContainers"].as_sequence().unwrap())
    {
        let image = c["image"].as_str().unwrap();
        let (name, tag) = image.split_once(':').expect("a tagged image");
        let pinned = kustomization["images"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not in kustomization.yaml"));
        assert_eq!(pinned["newTag"], tag, "{name}");
    }
    // Every manifest file is applied.
    let mut listed: Vec<String> = kustomization["resources"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(str_of)
        .collect();
    listed.sort();
    let mut present: Vec<String> = std::fs::read_dir(repo_root().join("deploy/k8s"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".yaml") && f != "kustomization.yaml")
        .collect();
    present.sort();
    assert_eq!(listed, present);
}

/// The lines of a Dockerfile, continuations joined.
fn dockerfile_instructions() -> Vec<String> {
    let text = read("deploy/Dockerfile");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    out
}

/// The top-level folders outside `src/` whose files the sources embed (`include_str!`,
/// `include_bytes!` of a literal path).
fn embedded_folders() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for macro_call in ["include_str!(\"", "include_bytes!(\""] {
                for (at, _) in text.match_indices(macro_call) {
                    let rest = &text[at + macro_call.len()..];
                    let literal = &rest[..rest.find('"').unwrap()];
                    let file = path.parent().unwrap().join(literal);
                    let file = file
                        .canonicalize()
                        .unwrap_or_else(|e| panic!("{file:?}: {e}"));
                    let inside = file
                        .strip_prefix(repo_root().canonicalize().unwrap())
                        .unwrap();
                    let top = inside.components().next().unwrap();
                    let top = top.as_os_str().to_string_lossy().into_owned();
                    if top != "src" && !out.contains(&top) {
                        out.push(top);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo_root().join("src"), &mut out);
    out
}

#[test]
fn the_dockerfile_builds_as_the_operator_docs_say_and_checks_health_without_curl() {
    let instructions = dockerfile_instructions();
    let readme = read("deploy/README.md");
    let builds: Vec<&String> = instructions
        .iter()
        .filter(|i| i.starts_with("RUN ") && i.contains("cargo "))
        .collect();
    assert!(!builds.is_empty());
    for build in builds {
        let command = build.trim_start_matches("RUN ").trim();
        assert!(
            readme.contains(&format!("\n{command}\n")),
            "deploy/README.md gives the Dockerfile's build step `{command}`"
        );
    }
    let health = instructions
        .iter()
        .find(|i| i.starts_with("HEALTHCHECK"))
        .expect("a HEALTHCHECK");
    assert!(
        health.contains(r#"CMD ["/usr/local/bin/switchboard", "probe"]"#),
        "{health}"
    );
    let env = instructions
        .iter()
        .find(|i| i.starts_with("ENV "))
        .expect("ENV");
    assert!(env.contains("SWITCHBOARD_LISTEN=0.0.0.0:8080"), "{env}");
    assert!(instructions.contains(&"EXPOSE 8080".to_string()));
    assert!(instructions.contains(&"STOPSIGNAL SIGTERM".to_string()));
    // What the image copies from the context exists, and the ignore file lets it through.
    let ignore = read("deploy/Dockerfile.dockerignore");
    for copy in instructions
        .iter()
        .filter(|i| i.starts_with("COPY ") && !i.contains("--from"))
    {
        let parts: Vec<&str> = copy.split_whitespace().skip(1).collect();
        for source in &parts[..parts.len() - 1] {
            assert!(repo_root().join(source).exists(), "{source}");
            let allowed = format!("!{}", source.trim_end_matches('/'));
            assert!(
                ignore.lines().any(|l| l.trim_end_matches('/') == allowed),
                "Dockerfile.dockerignore lets {source} through"
            );
        }
    }
    // Everything cargo reads to build the crate is copied in before the build: the manifest,
    // the lock file, the sources, the build script (it makes the language table the sources
    // embed) and the bench targets the manifest names.
    let first_build = instructions
        .iter()
        .position(|i| i.starts_with("RUN ") && i.contains("cargo build"))
        .expect("a cargo build step");
    let copied: Vec<&str> = instructions[..first_build]
        .iter()
        .filter(|i| i.starts_with("COPY ") && !i.contains("--from"))
        .flat_map(|copy| {
            let parts: Vec<&str> = copy.split_whitespace().skip(1).collect();
            parts[..parts.len() - 1].to_vec()
        })
        .map(|source| source.trim_end_matches('/'))
        .collect();
    let cargo = read("Cargo.toml");
    let mut needed = vec!["Cargo.toml", "Cargo.lock", "src"];
    if repo_root().join("build.rs").exists() {
        needed.push("build.rs");
    }
    if cargo.contains("[[bench]]") {
        needed.push("benches");
    }
    // The workspace's other members: cargo reads their manifests and targets, though the
    // image builds only the gateway.
    let members = regex::Regex::new(r#"(?s)\[workspace\].*?members = \[([^\]]*)\]"#).unwrap();
    let member_dirs: Vec<String> = members
        .captures(&cargo)
        .map(|c| {
            c[1].split(',')
                .map(|m| m.trim().trim_matches('"'))
                .filter(|m| !m.is_empty() && *m != ".")
                .map(|m| m.split('/').next().unwrap_or(m).to_string())
                .collect()
        })
        .unwrap_or_default();
    needed.extend(member_dirs.iter().map(String::as_str));
    let embedded = embedded_folders();
    needed.extend(embedded.iter().map(String::as_str));
    for source in needed {
        assert!(
            copied.contains(&source),
            "deploy/Dockerfile copies {source} before `cargo build` (copied: {copied:?})"
        );
    }
    // The toolchain of the image can build the crate.
    let arg = instructions
        .iter()
        .find_map(|i| i.strip_prefix("ARG RUST_VERSION="))
        .expect("ARG RUST_VERSION");
    let minimum = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .expect("rust-version")
        .trim_matches('"');
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|n| n.parse().unwrap()).collect() };
    assert!(version(arg) >= version(minimum), "{arg} >= {minimum}");
}

/// Every `SWITCHBOARD_*` name the code reads.
fn variables() -> Vec<String> {
    let re = regex::Regex::new(r#""(SWITCHBOARD_[A-Z0-9_]+)""#).unwrap();
    let mut names: Vec<String> = ["src/config.rs", "src/cli.rs"]
        .iter()
        .flat_map(|f| {
            let text = read(f);
            let code = text
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .to_string();
            re.captures_iter(&code)
                .map(|c| c[1].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Every metric name in src/telemetry.rs.
fn metrics() -> Vec<String> {
    let re = regex::Regex::new(r#"pub const [A-Z_]+: &str = "(switchboard_[a-z_]+)";"#).unwrap();
    re.captures_iter(&read("src/telemetry.rs"))
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn the_operator_docs_name_every_variable_and_metric() {
    let readme = read("deploy/README.md");
    let vars = variables();
    assert!(vars.len() > 20, "{vars:?}");
    for var in vars {
        assert!(
            readme.contains(&format!("`{var}`")),
            "deploy/README.md documents {var}"
        );
    }
    for metric in metrics() {
        assert!(
            readme.contains(&format!("`{metric}")),
            "deploy/README.md documents {metric}"
        );
    }
}

#[test]
fn the_dashboard_charts_every_metric_and_only_real_ones() {
    let dashboard: serde_json::Value =
        serde_json::from_str(&read("deploy/grafana/switchboard.json")).unwrap();
    let exprs: Vec<String> = dashboard["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["targets"].as_array().cloned().unwrap_or_default())
        .map(|t| t["expr"].as_str().unwrap().to_string())
        .collect();
    let known = metrics();
    for metric in &known {
        assert!(
            exprs.iter().any(|e| e.contains(metric.as_str())),
            "the dashboard charts {metric}"
        );
    }
    // Quantiles across nodes need buckets: a histogram without them renders as a summary.
    let ops = read("src/telemetry.rs");
    let bucketed: Vec<String> = regex::Regex::new(r"Matcher::Full\(([A-Z_]+)\.to_string\(\)\)")
        .unwrap()
        .captures_iter(&ops)
        .map(|c| {
            let decl = format!("pub const {}: &str = \"", &c[1]);
            let start = ops.find(&decl).expect("the constant") + decl.len();
            ops[start..].split('"').next().unwrap().to_string()
        })
        .collect();
    let histogram = regex::Regex::new(r"(switchboard_[a-z_]+)_bucket").unwrap();
    for expr in &exprs {
        for m in histogram.captures_iter(expr) {
            assert!(
                bucketed.iter().any(|b| b == &m[1]),
                "{} has no buckets in src/telemetry.rs",
                &m[1]
            );
        }
    }
    let used = regex::Regex::new(r"switchboard_[a-z_]+").unwrap();
    for expr in &exprs {
        for m in used.find_iter(expr) {
            let name = m.as_str().trim_end_matches("_bucket");
            assert!(
                known.iter().any(|k| k == name),
                "{name} (in {expr}) is no metric"
            );
        }
    }
}

async fn probe(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = Command::from(switchboard_command())
        .arg("probe")
        .args(args)
        .envs(env.iter().copied())
        .output()
        .await
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn probe_exits_zero_on_health_and_says_what_failed_otherwise() {
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    assert_eq!(probe(&[&format!("{base}/healthz")], &[]).await.0, 0);
    let listen = app.addr.to_string();
    assert_eq!(
        probe(&[], &[("SWITCHBOARD_LISTEN", &listen)]).await.0,
        0,
        "by default /healthz on the configured address"
    );
    let (code, err) = probe(&[&format!("{base}/nowhere")], &[]).await;
    assert_eq!(code, 1);
    assert!(err.contains("404"), "{err}");
    let closed = format!("http://127.0.0.1:{}/healthz", free_port());
    let (code, err) = probe(&[&closed], &[]).await;
    assert_eq!(code, 1);
    assert!(err.contains("cannot connect"), "{err}");
    let (code, err) = probe(&["https://example.invalid/"], &[]).await;
    assert_eq!(code, 1);
    assert!(err.contains("only http://"), "{err}");
}

#[tokio::test]
async fn a_load_balancer_may_keep_a_node_whose_redis_is_away_in_rotation() {
    let away = RedisServer::reserved();
    let app = spawn_app_on_redis(&away.url(), |_| {}).await;
    let (status, body) = http_get(app.addr, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    let (status, body) = http_get(app.addr, "/readyz?degraded=ok").await;
    assert_eq!(status, 200, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["status"], "degraded");
    assert!(
        ready["sessions"].as_str().unwrap().contains("unavailable"),
        "{body}"
    );
    // Failed Redis calls are counted for alerts.
    let (_, metrics) = http_get(app.addr, "/metrics").await;
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("switchboard_redis_errors_total{mode=\"standalone\"}")),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_proxy_spreads_websockets_over_both_nodes_and_a_session_resumes_on_either() {
    let redis = RedisServer::start().await;
    let node_a = spawn_app_on_redis(&redis.url(), |_| {}).await;
    let node_b = spawn_app_on_redis(&redis.url(), |_| {}).await;
    let port = free_port();
    let home = tempfile::tempdir().unwrap();
    let mut proxy = Command::new(prerequisites::caddy())
        .args(["run", "--adapter", "caddyfile", "--config"])
        .arg(repo_root().join("deploy/Caddyfile"))
        .env("SITE_ADDRESS", format!(":{port}"))
        .env("GATEWAYS", format!("{} {}", node_a.addr, node_b.addr))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("caddy starts");
    let output = Output::follow(proxy.stderr.take().unwrap());
    output
        .wait_for(Duration::from_secs(30), "caddy did not start", |line| {
            line.contains("serving initial configuration").then_some(())
        })
        .await;

    // Ten customers through the proxy, all connected at once.
    let url = format!("ws://127.0.0.1:{port}/v1/chat");
    let mut customers = Vec::new();
    for n in 0..10 {
        let mut c = Client::connect(&url).await;
        let welcome = c.hello(&["en"]).await;
        let (ack, _, _) = c.say("1", &format!("how much is shipping? ({n})")).await;
        customers.push((c, welcome, ack["seq"].as_u64().unwrap()));
    }
    // Node A stops: its customers are told to reconnect (1012), node B's answer the next
    // message; some were on each node.
    node_a.shutdown.cancel();
    let mut moved = Vec::new();
    let mut stayed = 0;
    for (mut c, welcome, seq) in customers {
        let _ =
            c.ws.send(Message::text(
                json!({"type": "message", "id": "2", "text": "still there?"}).to_string(),
            ))
            .await;
        match c.next_message().await {
            Some(Message::Close(Some(frame))) if u16::from(frame.code) == 1012 => {
                moved.push((welcome, seq))
            }
            Some(Message::Text(text)) => {
                assert!(text.contains("\"ack\""), "{text}");
                stayed += 1;
            }
            other => panic!("neither an answer nor 1012: {other:?}"),
        }
    }
    assert!(
        !moved.is_empty() && stayed > 0,
        "least connections spread them: {} on A, {stayed} on B",
        moved.len()
    );
    // They reconnect through the proxy, which now reaches node B only, and resume.
    for (welcome, seq) in moved {
        let mut c = Client::connect(&url).await;
        let resumed = c.resume(&welcome["session"], &welcome["token"], seq).await;
        assert_eq!(resumed["resumed"], true, "{resumed}");
        let (_, reply, _) = c.say("2", "and how long does delivery take?").await;
        assert_eq!(reply["from"], "bot", "{reply}");
    }
    let (status, _) = http_get(format!("127.0.0.1:{port}").parse().unwrap(), "/metrics").await;
    assert_eq!(
        status, 404,
        "metrics are scraped per node, not through the proxy"
    );
}
