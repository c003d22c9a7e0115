//! The audit section: the version, every input with its SHA-256, and every parameter, as
//! `summary.json` records them (machine names and values, left to right).

use super::context::Context;
use super::html::{Cell, Table, esc};

/// A parameter's value as text: strings as they are, everything else as compact JSON.
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The audit section's body.
pub(super) fn audit(ctx: &Context) -> String {
    let l = ctx.lang;
    let head = |ids: &[&str]| ids.iter().map(|id| l.tr(id)).collect::<Vec<_>>();
    let mut out = format!(
        "<p>{}</p>\n<p>{} <span class=\"code\" dir=\"ltr\">{}</span></p>\n",
        esc(&l.tr("report-audit-intro")),
        esc(&l.tr("report-version")),
        esc(env!("CARGO_PKG_VERSION"))
    );
    let mut inputs = Table::new(
        "inputs-table",
        head(&[
            "report-col-file",
            "report-col-sha256",
            "report-col-bytes",
            "report-col-rows",
        ]),
    );
    for d in &ctx.audit.inputs {
        inputs.rows.push((
            None,
            vec![
                Cell::code(d.path.display().to_string()),
                Cell::code(d.sha256.clone()),
                Cell::number(l.count(d.bytes), d.bytes as f64),
                Cell::number(l.count(d.rows), d.rows as f64),
            ],
        ));
    }
    out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-inputs"))));
    out.push_str(&inputs.html());

    let mut parameters = Table::new(
        "parameters-table",
        head(&["report-col-parameter", "report-col-value"]),
    );
    let mut push = |key: &str, v: &serde_json::Value| {
        parameters.rows.push((
            None,
            vec![Cell::code(key.to_string()), Cell::code(value_text(v))],
        ));
    };
    match &ctx.audit.parameters {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                push(k, v);
            }
        }
        serde_json::Value::Null => {}
        other => push("parameters", other),
    }
    out.push_str(&format!("<h3>{}</h3>\n", esc(&l.tr("report-parameters"))));
    out.push_str(&parameters.html());
    out
}
