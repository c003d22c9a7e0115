//! Embeds the message catalogues: every `locales/<lang>/*.ftl` file, in name order, joined
//! into `$OUT_DIR/<lang>.ftl` for `src/lang` to `include_str!`. A new catalogue file needs no
//! code change; duplicate message ids across files are caught by the catalogue tests.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=locales");
    for lang in ["en", "fa"] {
        let dir = Path::new("locales").join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .map(|e| e.expect("catalogue entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut joined = String::new();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
            joined.push_str(&format!("\n## {}\n", file.display()));
            joined.push_str(&text);
            joined.push('\n');
        }
        std::fs::write(Path::new(&out).join(format!("{lang}.ftl")), joined)
            .expect("writing the joined catalogue");
    }
}
