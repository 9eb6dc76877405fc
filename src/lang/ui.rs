//! The review sheet's fixed wording in the client's language
//! (`clipper.toml` `ui_language`): the client reads the sheet, and the
//! client's language is not always the show's. A string table only; the
//! sheet (`src/review`) picks it up with [`ui_text`].

/// The fixed words of the review sheet, for one language.
#[derive(Debug)]
pub struct UiText {
    /// The sheet's heading: `Clips for review`.
    pub heading: &'static str,
    /// The button that approves a clip.
    pub approve: &'static str,
    /// The button that rejects a clip.
    pub reject: &'static str,
    /// The button that asks for changes.
    pub request_changes: &'static str,
    /// The label of the client's comment box.
    pub comment: &'static str,
    /// The label of a clip's title.
    pub title: &'static str,
    /// The label of a clip's drafts per platform.
    pub drafts: &'static str,
    /// The label of a clip's transcript.
    pub transcript: &'static str,
    /// Why the clip was chosen.
    pub why: &'static str,
    /// The button that saves or sends the decisions.
    pub save: &'static str,
    /// Shown once every clip has a decision.
    pub all_decided: &'static str,
    /// The show notes' heading.
    pub show_notes: &'static str,
}

/// English.
pub static EN: UiText = UiText {
    heading: "Clips for review",
    approve: "Approve",
    reject: "Reject",
    request_changes: "Request changes",
    comment: "Comment",
    title: "Title",
    drafts: "Drafts",
    transcript: "Transcript",
    why: "Why this clip",
    save: "Save decisions",
    all_decided: "Every clip has a decision.",
    show_notes: "Show notes",
};

/// Indonesian.
pub static ID: UiText = UiText {
    heading: "Klip untuk ditinjau",
    approve: "Setujui",
    reject: "Tolak",
    request_changes: "Minta revisi",
    comment: "Komentar",
    title: "Judul",
    drafts: "Draf",
    transcript: "Transkrip",
    why: "Kenapa klip ini",
    save: "Simpan keputusan",
    all_decided: "Semua klip sudah diputuskan.",
    show_notes: "Catatan episode",
};

/// The review sheet's wording for a language code (`en`, `id`, `id-ID`,
/// any case); English for a language without a table.
pub fn ui_text(language: &str) -> &'static UiText {
    let primary = language.split(['-', '_']).next().unwrap_or("").trim();
    if primary.eq_ignore_ascii_case("id") {
        &ID
    } else {
        &EN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_and_english_tables_and_fallback() {
        assert_eq!(ui_text("id").approve, "Setujui");
        assert_eq!(ui_text("ID-id").reject, "Tolak");
        assert_eq!(ui_text("en").approve, "Approve");
        assert!(std::ptr::eq(ui_text("ja"), &EN) && std::ptr::eq(ui_text(""), &EN));
    }
}
