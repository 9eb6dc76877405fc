//! Drafts in other languages (no model needed): Indonesian posts use
//! Indonesian fillers, hashtags, framing, questions and fixed words;
//! Spanish posts use Spanish ones; a language without rules says so and
//! borrows no English word lists; Japanese text is counted in words, not
//! lines.

use clipper::config::{ClientConfig, Platform};
use clipper::drafts::{draft_all, remove_fillers_in, Draft, DraftContext, DraftKind};
use clipper::highlights::Clip;

fn config(language: &str) -> ClientConfig {
    ClientConfig {
        show_name: "Obrolan Senja".into(),
        guest: "Rina Kartika".into(),
        platforms: Platform::ALL.to_vec(),
        language: language.into(),
        ..ClientConfig::default()
    }
}

fn clip(start: f64, sentences: &[&str], keywords: &[&str]) -> Clip {
    Clip {
        speaker: None,
        unsure: Vec::new(),
        id: Clip::id_for(start, start + 40.0, &sentences.join(" ")),
        rank: 0,
        start,
        end: start + 40.0,
        text: sentences.join(" "),
        sentences: sentences.iter().map(|s| s.to_string()).collect(),
        bucket: "30-60s".into(),
        score: 1.0,
        contributions: Vec::new(),
        chapter: None,
        keywords: keywords.iter().map(|s| s.to_string()).collect(),
        summary: String::new(),
    }
}

fn indonesian_clip() -> Clip {
    clip(
        60.0,
        &[
            "Jadi, eh, kita itu kayak bingung gitu soal harga produk.",
            "Terus, apa namanya, kebanyakan pemilik usaha menetapkan harga terlalu murah.",
            "Harga yang terlalu murah itu membuat pelanggan ragu sama kualitas produk kita.",
            "Makanya kita harus berani menaikkan harga, ya kan.",
        ],
        &["harga", "yang", "orang", "banget", "produk", "pelanggan"],
    )
}

fn post(drafts: &[Draft], platform: Platform) -> &str {
    drafts
        .iter()
        .find(|d| d.platform == platform && d.kind != DraftKind::Title)
        .map(|d| d.text.as_str())
        .unwrap()
}

#[test]
fn indonesian_fillers_go_and_content_words_stay() {
    let id = clipper::lang::rules("id");
    assert_eq!(
        remove_fillers_in("Jadi, eh, kita itu kayak bingung gitu.", id),
        "Jadi, kita itu kayak bingung."
    );
    assert_eq!(
        remove_fillers_in("Terus, apa namanya, kita naikkan harga.", id),
        "Terus, kita naikkan harga."
    );
    assert_eq!(
        remove_fillers_in("Ya, harganya mahal sih.", id),
        "Harganya mahal."
    );
    // Content: "like him", "not like that", "then we continue".
    for keep in [
        "Dia kayak ayahnya.",
        "Bukan gitu caranya.",
        "Kita terus jalan.",
        "Apa namanya produk itu?",
    ] {
        assert_eq!(remove_fillers_in(keep, id), keep);
    }
}

#[test]
fn an_indonesian_draft_is_indonesian_throughout() {
    let cfg = config("id");
    let drafts = draft_all(&[indonesian_clip()], &cfg, &DraftContext::default());
    let d = &drafts[0].drafts;
    let all: String = d
        .iter()
        .map(|d| d.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    for english in [
        "Listen to the full episode",
        "link in bio",
        "From ",
        "With ",
        " on ",
        "What's your take",
        "Would you agree",
        "Podcast Highlight",
    ] {
        assert!(!all.contains(english), "{english:?} in\n{all}");
    }
    for filler in [" eh", "apa namanya", "gitu.", "ya kan"] {
        assert!(!all.to_lowercase().contains(filler), "{filler:?} in\n{all}");
    }
    let x = post(d, Platform::X);
    assert!(x.contains("Dengarkan episode lengkapnya."), "{x}");
    let insta = post(d, Platform::Instagram);
    assert!(insta.contains("link di bio"), "{insta}");
    // The framing line in Indonesian: "{guest} tentang {topic}".
    let linkedin = post(d, Platform::Linkedin);
    assert!(linkedin.contains("Rina Kartika tentang "), "{linkedin}");
    // LinkedIn's question to the reader, in Indonesian.
    assert!(
        ["Bagaimana pendapatmu", "Kamu setuju", "Apa pengalamanmu"]
            .iter()
            .any(|q| linkedin.contains(q)),
        "{linkedin}"
    );
    // Stopwords and common words never become hashtags.
    for tag in all.split_whitespace().filter(|w| w.starts_with('#')) {
        let t = tag[1..].to_lowercase();
        for common in ["yang", "orang", "banget", "itu", "kita", "jadi", "gitu"] {
            assert_ne!(t, common, "{tag} in\n{all}");
        }
    }
    assert!(all.contains("#harga") || all.contains("#Harga"), "{all}");
}

#[test]
fn a_spanish_draft_uses_spanish_wording() {
    let c = clip(
        30.0,
        &[
            "Bueno, eh, la mayoría de los fundadores piensa que el precio es matemática.",
            "Pero en realidad el precio es psicología, o sea, lo que siente el cliente.",
            "Si cobras poco, el cliente duda de la calidad del producto.",
        ],
        &["precio", "para", "cliente", "psicología"],
    );
    let mut cfg = config("es");
    cfg.show_name = "Charlas de Negocio".into();
    cfg.guest = "Lucía Romero".into();
    let drafts = draft_all(&[c], &cfg, &DraftContext::default());
    let all: String = drafts[0]
        .drafts
        .iter()
        .map(|d| d.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    for english in [
        "Listen to the full episode",
        "link in bio",
        "From ",
        " on ",
        "What's your take",
    ] {
        assert!(!all.contains(english), "{english:?} in\n{all}");
    }
    // Spanish fillers out, and no English filler removal artefacts: the
    // Spanish "a" and "de" are words, not something to drop.
    assert!(!all.contains(" eh,") && !all.contains("o sea"), "{all}");
    assert!(all.contains("Escucha el episodio completo."), "{all}");
    assert!(all.contains("enlace en la bio"), "{all}");
    assert!(!all.contains("#para") && !all.contains("#Para"), "{all}");
}

#[test]
fn a_language_without_rules_is_named_and_borrows_no_english_lists() {
    assert!(clipper::lang::has_rules("id") && clipper::lang::has_rules("es"));
    assert!(!clipper::lang::has_rules("ja"));
    let note = clipper::episode::language_note("ja").unwrap();
    assert!(
        note.contains("Japanese") && note.contains("language-neutral"),
        "{note}"
    );
    assert!(clipper::episode::language_note("en").is_none());
    let ja = clipper::lang::rules("ja");
    assert!(ja.stopwords.is_empty() && ja.fillers.is_empty() && ja.common_words.is_empty());
}

#[test]
fn japanese_clips_are_counted_in_words() {
    let c = clip(
        0.0,
        &[
            "価格は心理学の問題であって、数学の問題ではありません。",
            "多くの創業者は安すぎる値段をつけてしまいます。",
            "安い値段はお客様に品質への不安を与えるのです。",
        ],
        &["価格", "心理学"],
    );
    let cfg = config("ja");
    let drafts = draft_all(&[c], &cfg, &DraftContext::default());
    let title = &drafts[0].title;
    assert!(
        title.chars().count() <= clipper::drafts::TITLE_MAX,
        "{title}"
    );
    let x = post(&drafts[0].drafts, Platform::X);
    assert!(x.contains("価格"), "{x}");
    // A Japanese line is many words, not one.
    assert!(clipper::lang::words::word_count("多くの創業者は安すぎる値段をつけてしまいます。") > 8);
}
