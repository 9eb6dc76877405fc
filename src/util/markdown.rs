//! Text made safe for Markdown (review.md, shownotes.md): one escaper, so
//! a transcript can never turn into markup in either file.

/// Backslash-escapes what Markdown would read as markup inside a line:
/// emphasis, code, links, raw HTML, headings, tables, and list or quote
/// markers at the start.
pub fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(match ch {
            '\n' | '\r' => ' ',
            _ => ch,
        });
    }
    // A line that starts like a list item (`- `, `+ `, `1. `, `1) `) stays
    // text.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else if let Some(at) = out.find(['.', ')']) {
        let (number, rest) = out.split_at(at);
        let numbered = (1..10).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
            && (rest.len() == 1 || rest[1..].starts_with(' '));
        if numbered {
            out.insert(at, '\\');
        }
    }
    out
}
