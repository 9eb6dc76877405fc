//! Whisper's language codes: what `--language` and `clipper.toml` accept,
//! and the names messages use.

/// The value that asks clipper to find the language itself.
pub const AUTO: &str = "auto";

/// Checks a `--language` / `clipper.toml` value: `auto` or a language
/// Whisper knows (`en`, `id`, `es`, … or its English name), lowercased.
pub fn parse(value: &str) -> Result<String, String> {
    let v = value.trim().to_lowercase();
    if v == AUTO {
        return Ok(v);
    }
    let primary = v.split(['-', '_']).next().unwrap_or("");
    if !primary.is_empty() && !primary.contains('\0') {
        if let Some(code) = whisper_rs::get_lang_id(primary).and_then(whisper_rs::get_lang_str) {
            return Ok(code.to_string());
        }
    }
    Err(format!(
        "{value:?} is not a language Whisper knows; use auto or a code such as en, id, es, de, fr, pt, ja"
    ))
}

/// The English name of a language code, e.g. `Spanish` for `es`.
pub fn name(code: &str) -> String {
    if code.is_empty() || code.contains('\0') {
        return code.to_string();
    }
    let full = whisper_rs::get_lang_id(code)
        .and_then(whisper_rs::get_lang_str_full)
        .unwrap_or(code);
    let mut chars = full.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_auto_are_accepted_others_named() {
        assert_eq!(parse("auto").unwrap(), "auto");
        assert_eq!(parse("ID").unwrap(), "id");
        assert_eq!(parse("pt-BR").unwrap(), "pt");
        assert_eq!(parse("spanish").unwrap(), "es");
        assert!(parse("").is_err() && parse("e\0n").is_err());
        let err = parse("klingon").unwrap_err();
        assert!(err.contains("klingon") && err.contains("auto"), "{err}");
        assert_eq!(name("es"), "Spanish");
        assert_eq!(name("id"), "Indonesian");
    }
}
