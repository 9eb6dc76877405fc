//! CSV files (RFC 4180, through the `csv` crate): the season index and
//! publish.csv are both written here, so quoting is done one way.

/// Renders a header and rows as CSV text, quoting fields only where needed.
pub fn render<R, F>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(header).expect("writing to memory");
    for row in rows {
        w.write_record(row).expect("writing to memory");
    }
    let bytes = w.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_only_where_needed() {
        let text = super::render(&["a", "b"], [vec!["plain", "a, \"b\"\nc"], vec!["", "x"]]);
        assert_eq!(text, "a,b\nplain,\"a, \"\"b\"\"\nc\"\n,x\n");
    }
}
