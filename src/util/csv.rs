//! CSV files (RFC 4180, through the `csv` crate): the season index and
//! publish.csv are both written here, so quoting is done one way, and so is
//! the defence against spreadsheet formulas: a cell a spreadsheet would
//! evaluate (starting with `=`, `+`, `-`, `@`, a tab or a carriage return,
//! as OWASP's CSV-injection guidance lists) is written with a leading `'`,
//! which spreadsheets show as text.

/// Renders a header and rows as CSV text, quoting fields only where needed.
pub fn render<R, F>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    render_with_header(Some(header), rows)
}

/// Rows as CSV text with no header row (for layouts read by position),
/// quoted and neutralised as [`render`] does.
pub fn render_rows<R, F>(rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    render_with_header(None, rows)
}

/// [`render`] with or without a header row.
fn render_with_header<R, F>(header: Option<&[&str]>, rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    if let Some(h) = header {
        w.write_record(h).expect("writing to memory");
    }
    for row in rows {
        let safe: Vec<std::borrow::Cow<[u8]>> =
            row.iter().map(|c| neutralise(c.as_ref())).collect();
        w.write_record(safe).expect("writing to memory");
    }
    let bytes = w.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// `cell`, with a `'` in front when a spreadsheet would take it for a
/// formula.
fn neutralise(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match cell.first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => {
            let mut safe = Vec::with_capacity(cell.len() + 1);
            safe.push(b'\'');
            safe.extend_from_slice(cell);
            std::borrow::Cow::Owned(safe)
        }
        _ => std::borrow::Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_where_needed() {
        let text = super::render(&["a", "b"], [vec!["plain", "a, \"b\"\nc"], vec!["", "x"]]);
        assert_eq!(text, "a,b\nplain,\"a, \"\"b\"\"\nc\"\n,x\n");
    }

    #[test]
    fn formulas_are_written_as_text() {
        let row = vec![
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "ok = fine",
        ];
        let text = super::render(&["a", "b", "c", "d", "e", "f"], [row]);
        let second = text.lines().nth(1).unwrap();
        assert_eq!(
            second,
            "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),'\tx,ok = fine"
        );
    }
}
