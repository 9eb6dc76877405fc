//! HTML made safe: escaping, JSON inside `<script>`, relative URLs, and the
//! one template filler both pages (review sheet, season index) use.

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026` (only inside strings, where JSON
/// has them), so `</script>` or `<!--` in any text cannot end the element.
pub fn json_for_script(value: &serde_json::Value) -> String {
    let text = serde_json::to_string(value).expect("a JSON value serialises");
    let mut out = String::with_capacity(text.len() + 64);
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(ch),
        }
    }
    out
}

/// A relative path as a URL: every segment between `/` is percent-encoded,
/// so a file name can neither become an absolute URL (`javascript:` →
/// `javascript%3A`) nor lose characters like `#`, `?` or `\` (a plain
/// character in a file name here, not a separator).
pub fn url_of_path(path: &str) -> String {
    url_of_bytes(path.as_bytes())
}

/// A relative file path as a URL, from the path's own bytes: like
/// [`url_of_path`], but a name that is not UTF-8 keeps its bytes
/// (percent-encoded) and so still links to its file.
pub fn url_of_os_path(path: &std::path::Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().as_bytes().to_vec();
    url_of_bytes(&bytes)
}

/// Percent-encodes every byte of each `/`-separated segment but
/// `A-Z a-z 0-9 - . _ ~`.
fn url_of_bytes(path: &[u8]) -> String {
    path.split(|&b| b == b'/')
        .map(|segment| {
            let mut out = String::new();
            for &b in segment {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Replaces each `{{key}}` of `template` with `value(key)`, in one pass, so a
/// substituted value is never scanned for placeholders itself. Unknown keys
/// are left as they are. Values are inserted as given: escape them first.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}").and_then(|close| {
            let key = &after[..close];
            value(key).map(|v| (v, close))
        }) {
            Some((v, close)) => {
                out.push_str(&v);
                rest = &after[close + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_urls_and_templates() {
        assert_eq!(
            url_of_path("clips/clip-000123.wav"),
            "clips/clip-000123.wav"
        );
        assert_eq!(
            url_of_path("javascript:alert(1)"),
            "javascript%3Aalert%281%29"
        );
        assert_eq!(url_of_path("clips/ü.wav"), "clips/%C3%BC.wav");
        assert_eq!(url_of_path("a\\b.wav"), "a%5Cb.wav");
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(
            json_for_script(&serde_json::json!("</script>&")),
            "\"\\u003c/script\\u003e\\u0026\""
        );
        let page = fill("<b>{{a}}</b>{{b}}{{", |k| {
            (k == "a").then(|| "{{b}}".into())
        });
        assert_eq!(page, "<b>{{b}}</b>{{b}}{{");
    }
}
