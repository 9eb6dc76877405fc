//! The review sheet's fixed wording in the client's language
//! (`clipper.toml` `ui_language`): the client reads the sheet, and the
//! client's language is not always the show's. A string table only; the
//! sheet (`src/review`) carries the table in its data and its script
//! builds the page from it.
//!
//! In the templates, `{name}` is filled in by the sheet and `*words*`
//! are shown in bold.

use serde::Serialize;

/// The fixed words of the review sheet, for one language.
#[derive(Debug, Serialize)]
pub struct UiText {
    /// The language code, for the page's `lang` attribute.
    pub lang: &'static str,
    /// "How to answer:", before [`UiText::how_to`].
    pub how_to_title: &'static str,
    /// How to answer, one paragraph (`*bold*` allowed).
    pub how_to: &'static str,
    /// The name field's label.
    pub your_name: &'static str,
    /// The name field's placeholder.
    pub name_placeholder: &'static str,
    /// The save button.
    pub save: &'static str,
    /// After saving: `{file}`, `{time}`.
    pub saved: &'static str,
    /// The choice that approves.
    pub approve: &'static str,
    /// The choice that asks for changes.
    pub needs_changes: &'static str,
    /// The choice that rejects.
    pub reject: &'static str,
    /// Where a post stands: waiting for the client.
    pub state_pending: &'static str,
    /// Where a post stands: approved.
    pub state_approved: &'static str,
    /// Where a post stands: rejected.
    pub state_rejected: &'static str,
    /// Where a post stands: needs changes.
    pub state_needs_changes: &'static str,
    /// Where a post stands: approved, then changed by a re-run.
    pub state_changed: &'static str,
    /// The count line: `{approved}`, `{needs}`, `{rejected}`, `{waiting}`.
    pub summary: &'static str,
    /// "clip" (one).
    pub clip_one: &'static str,
    /// "clips" (several).
    pub clip_many: &'static str,
    /// The clip's decision box.
    pub clip_decision: &'static str,
    /// A platform's decision box: `{platform}`.
    pub platform_decision: &'static str,
    /// The clip's comment box placeholder.
    pub comment_optional: &'static str,
    /// A platform's comment box placeholder.
    pub what_to_change: &'static str,
    /// The button that lets a platform follow the clip's decision again.
    pub follow_clip: &'static str,
    /// The heading above the platforms.
    pub posts_heading: &'static str,
    /// The version picker's legend.
    pub which_version: &'static str,
    /// The first version.
    pub version_a: &'static str,
    /// The second version.
    pub version_b: &'static str,
    /// The X thread.
    pub thread: &'static str,
    /// A thread's counter: `{n}`, `{len}`, `{limit}`.
    pub thread_counter: &'static str,
    /// The transcript toggle.
    pub transcript: &'static str,
    /// Before the keywords.
    pub keywords: &'static str,
    /// Before the clip's words Whisper was unsure of.
    pub check_words: &'static str,
    /// The score details toggle.
    pub score_details: &'static str,
    /// Before a chapter's name.
    pub chapter: &'static str,
    /// Under the player: the full-quality file.
    pub full_quality: &'static str,
    /// The button that undoes edits of a draft.
    pub undo: &'static str,
    /// Beside an edited draft.
    pub edited: &'static str,
    /// A clip without drafts.
    pub no_drafts: &'static str,
    /// An episode without clips.
    pub no_clips: &'static str,
    /// The show notes' heading.
    pub show_notes: &'static str,
    /// The show notes' toggle.
    pub read_notes: &'static str,
    /// The chapters' heading: `{source}`.
    pub chapters_from: &'static str,
    /// The key quotes' heading.
    pub key_quotes: &'static str,
    /// The show notes' decision box.
    pub notes_decision: &'static str,
}

/// English.
pub static EN: UiText = UiText {
    lang: "en",
    how_to_title: "How to answer:",
    how_to: "play each clip, then tap *Approve*, *Needs changes* or *Reject*. That decides all \
             its posts; open a platform below it to edit its post, pick which version goes out, \
             or decide it alone. When done, press *Save decisions* and send the downloaded file \
             back. Nothing is sent anywhere; your choices stay in this browser until then.",
    your_name: "Your name",
    name_placeholder: "asked once, kept in this browser",
    save: "Save decisions",
    saved: "Saved {file} at {time}. Send that file back.",
    approve: "Approve",
    needs_changes: "Needs changes",
    reject: "Reject",
    state_pending: "waiting for you",
    state_approved: "approved",
    state_rejected: "rejected",
    state_needs_changes: "needs changes",
    state_changed: "approved earlier \u{2014} changed since, needs a new look",
    summary: "Posts: {approved} approved, {needs} need changes, {rejected} rejected, \
              {waiting} waiting for you",
    clip_one: "clip",
    clip_many: "clips",
    clip_decision: "Your decision on this clip (all its posts)",
    platform_decision: "Your decision on the {platform} post",
    comment_optional: "Comment (optional)",
    what_to_change: "What should change in this post",
    follow_clip: "Follow the clip's decision",
    posts_heading: "Posts, one per platform (tap to open, edit or decide one by one)",
    which_version: "Which version to post",
    version_a: "Version A",
    version_b: "Version B",
    thread: "Thread",
    thread_counter: "{n} posts, the longest {len} / {limit}",
    transcript: "Transcript",
    keywords: "Keywords",
    check_words: "Words to check (the transcription was unsure)",
    score_details: "Score details",
    chapter: "Chapter",
    full_quality: "Full quality",
    undo: "Undo edits",
    edited: "edited",
    no_drafts: "No drafts for this clip.",
    no_clips: "No clips were found in this episode.",
    show_notes: "Show notes",
    read_notes: "Read the show notes",
    chapters_from: "Chapters (from {source})",
    key_quotes: "Key quotes",
    notes_decision: "Your decision on the show notes",
};

/// Indonesian.
pub static ID: UiText = UiText {
    lang: "id",
    how_to_title: "Cara menjawab:",
    how_to: "putar setiap klip, lalu ketuk *Setujui*, *Perlu revisi* atau *Tolak*. Itu \
             memutuskan semua postingannya; buka platform di bawahnya untuk menyunting \
             postingannya, memilih versi yang diposting, atau memutuskannya sendiri. Setelah \
             selesai, tekan *Simpan keputusan* lalu kirim balik file yang terunduh. Tidak ada \
             yang dikirim ke mana pun; pilihan Anda tersimpan di browser ini sampai saat itu.",
    your_name: "Nama Anda",
    name_placeholder: "ditanya sekali, disimpan di browser ini",
    save: "Simpan keputusan",
    saved: "{file} disimpan pukul {time}. Kirim balik file itu.",
    approve: "Setujui",
    needs_changes: "Perlu revisi",
    reject: "Tolak",
    state_pending: "menunggu Anda",
    state_approved: "disetujui",
    state_rejected: "ditolak",
    state_needs_changes: "perlu revisi",
    state_changed: "pernah disetujui \u{2014} sudah berubah, perlu dilihat lagi",
    summary: "Postingan: {approved} disetujui, {needs} perlu revisi, {rejected} ditolak, \
              {waiting} menunggu Anda",
    clip_one: "klip",
    clip_many: "klip",
    clip_decision: "Keputusan Anda untuk klip ini (semua postingannya)",
    platform_decision: "Keputusan Anda untuk postingan {platform}",
    comment_optional: "Komentar (opsional)",
    what_to_change: "Apa yang perlu diubah di postingan ini",
    follow_clip: "Ikuti keputusan klip",
    posts_heading: "Postingan per platform (ketuk untuk membuka, menyunting, atau memutuskan \
                    satu per satu)",
    which_version: "Versi yang diposting",
    version_a: "Versi A",
    version_b: "Versi B",
    thread: "Utas",
    thread_counter: "{n} postingan, terpanjang {len} / {limit}",
    transcript: "Transkrip",
    keywords: "Kata kunci",
    check_words: "Kata yang perlu dicek (transkripsi kurang yakin)",
    score_details: "Rincian skor",
    chapter: "Bab",
    full_quality: "Kualitas penuh",
    undo: "Batalkan suntingan",
    edited: "disunting",
    no_drafts: "Tidak ada draf untuk klip ini.",
    no_clips: "Tidak ada klip yang ditemukan di episode ini.",
    show_notes: "Catatan episode",
    read_notes: "Baca catatan episode",
    chapters_from: "Bab (dari {source})",
    key_quotes: "Kutipan utama",
    notes_decision: "Keputusan Anda untuk catatan episode",
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

    #[test]
    fn both_tables_fill_the_same_placeholders() {
        let en = serde_json::to_value(&EN).unwrap();
        let id = serde_json::to_value(&ID).unwrap();
        let holes = |s: &str| -> Vec<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split('}').next())
                .map(str::to_string)
                .collect()
        };
        for (key, text) in en.as_object().unwrap() {
            let other = id[key].as_str().unwrap();
            assert!(!other.is_empty(), "{key}");
            assert_eq!(holes(text.as_str().unwrap()), holes(other), "{key}");
        }
    }
}
