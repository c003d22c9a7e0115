//! The page's assets, embedded in the binary so that `report.html` needs nothing else:
//! Leaflet 1.9.4 (BSD-2-Clause, `assets/leaflet/`, from the npm registry), the Vazirmatn
//! font (SIL Open Font License 1.1, `assets/vazirmatn/`, from the npm package `vazirmatn`)
//! and the page's own style sheet and script (`assets/report/`).

use crate::lang::Lang;

const LEAFLET_JS: &str = include_str!("../../../../assets/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../../../assets/leaflet/leaflet.css");
const REPORT_JS: &str = include_str!("../../../../assets/report/report.js");
const REPORT_CSS: &str = include_str!("../../../../assets/report/report.css");
const VAZIRMATN_REGULAR: &[u8] =
    include_bytes!("../../../../assets/vazirmatn/Vazirmatn-Regular.woff2");
const VAZIRMATN_BOLD: &[u8] = include_bytes!("../../../../assets/vazirmatn/Vazirmatn-Bold.woff2");

/// Standard base64 (RFC 4648, with padding), for the fonts' `data:` URLs.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Leaflet's script, without its source-map comment (the map file is not shipped) and
/// with its home-page link written without a scheme: the page names no network address.
pub(super) fn leaflet_js() -> String {
    LEAFLET_JS
        .replace("//# sourceMappingURL=leaflet.js.map", "")
        .replace("https://leafletjs.com", "leafletjs.com")
}

/// The page's script.
pub(super) fn report_js() -> &'static str {
    REPORT_JS
}

/// `css` with every `url(images/…)` (Leaflet's marker and layer-switch images, which the
/// page does not use and does not ship) replaced by `none`.
fn without_image_urls(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("url(images/") {
        out.push_str(&rest[..start]);
        match rest[start..].find(')') {
            Some(end) => {
                out.push_str("none");
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `css` without its comments (Leaflet's cite bug trackers by address).
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Every style sheet of the page: the embedded fonts, Leaflet's, the page's own, and the
/// font list of `lang` (Vazirmatn last in English, for Persian names in English pages).
pub(super) fn styles(lang: Lang) -> String {
    let face = |weight: u16, bytes: &[u8]| {
        format!(
            "@font-face{{font-family:Vazirmatn;font-style:normal;font-weight:{weight};\
             font-display:block;src:url(data:font/woff2;base64,{}) format('woff2');}}\n",
            base64(bytes)
        )
    };
    let fonts = match lang {
        Lang::Fa => lang.fonts().to_string(),
        Lang::En => lang
            .fonts()
            .replace(", sans-serif", ", Vazirmatn, sans-serif"),
    };
    format!(
        "{}{}{}\n{}\nbody{{font-family:{fonts};}}\n",
        face(400, VAZIRMATN_REGULAR),
        face(700, VAZIRMATN_BOLD),
        without_image_urls(&without_comments(LEAFLET_CSS)),
        REPORT_CSS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn assets_name_no_network_address() {
        let all = format!("{}{}{}", leaflet_js(), styles(Lang::Fa), report_js());
        let addresses: Vec<&str> = all
            .match_indices("http")
            .map(|(i, _)| &all[i..(i + 30).min(all.len())])
            .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
            .collect();
        assert!(addresses.is_empty(), "{addresses:?}");
        assert!(!styles(Lang::En).contains("url(images/"));
        assert_eq!(without_comments("a/* x */b/* y"), "ab");
    }
}
