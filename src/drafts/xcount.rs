//! X's weighted character count (the twitter-text v3 rules).
//!
//! X does not count characters the way `str::chars` does: code points in a
//! few "light" ranges (Latin, Greek, Cyrillic, ..., general punctuation)
//! weigh 1, everything else (CJK, most symbols, emoji) weighs 2, a whole
//! emoji sequence (ZWJ family, flag, skin tone, keycap) weighs 2, and every
//! URL weighs 23 whatever its length, because X wraps it in a `t.co` link.
//!
//! Differences from twitter-text, all on the safe side or rare: the text is
//! not NFC-normalised first (decomposed accents count one per code point),
//! the list of generic top-level domains for bare links is the common ones
//! only, and emoji are recognised by code point ranges rather than by the
//! full Unicode emoji table.

/// Weight of a URL (X's `transformedURLLength`).
pub const URL_WEIGHT: usize = 23;

/// X's weighted length of `text`: the number the post composer checks
/// against 280.
///
/// ```
/// use clipper::drafts::x_weighted_len;
/// assert_eq!(x_weighted_len("Hello world"), 11);
/// assert_eq!(x_weighted_len("こんにちは"), 10);
/// assert_eq!(x_weighted_len("👨‍👩‍👧‍👦"), 2);
/// assert_eq!(x_weighted_len("Listen: https://example.com/a/very/long/path"), 8 + 23);
/// ```
pub fn x_weighted_len(text: &str) -> usize {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let urls = find_urls(text);
    let mut total = 0;
    let mut i = 0;
    let mut u = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if let Some(&(start, end)) = urls.get(u) {
            if pos == start {
                total += URL_WEIGHT;
                while i < chars.len() && chars[i].0 < end {
                    i += 1;
                }
                u += 1;
                continue;
            }
        }
        let cps: Vec<char> = chars[i..].iter().take(64).map(|&(_, c)| c).collect();
        if let Some(n) = emoji_len(&cps) {
            total += 2;
            i += n;
            continue;
        }
        total += char_weight(c);
        i += 1;
    }
    total
}

/// Weight of one code point outside URLs and emoji sequences.
fn char_weight(c: char) -> usize {
    let cp = c as u32;
    let light = matches!(cp,
        0x0000..=0x10FF | 0x2000..=0x200D | 0x2010..=0x201F | 0x2032..=0x2037);
    if light {
        1
    } else {
        2
    }
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Code points that start an emoji presentation on their own.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF
        | 0x2600..=0x27BF
        | 0x2300..=0x23FF
        | 0x2B00..=0x2BFF
        | 0x2190..=0x21FF
        | 0x2100..=0x214F
        | 0x25A0..=0x25FF
        | 0x2934..=0x2935
        | 0x3030
        | 0x303D
        | 0x3297
        | 0x3299
        | 0x203C
        | 0x2049)
}

/// Code points that extend an emoji: variation selectors, skin tones,
/// tag characters (subdivision flags), the keycap mark.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32,
        0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F | 0x20E3)
}

/// Length in code points of the emoji sequence starting at `cps[0]`, if one
/// starts there.
fn emoji_len(cps: &[char]) -> Option<usize> {
    let first = *cps.first()?;
    if is_regional_indicator(first) {
        let pair = cps.get(1).is_some_and(|&c| is_regional_indicator(c));
        return Some(if pair { 2 } else { 1 });
    }
    // Keycaps (1️⃣, #️⃣) and text-default symbols made emoji by VS16 (©️).
    let text_default = first.is_ascii_digit() || matches!(first, '#' | '*' | '©' | '®');
    if text_default {
        let mut n = 1;
        if cps.get(n) == Some(&'\u{FE0F}') {
            n += 1;
        }
        if matches!(first, '0'..='9' | '#' | '*') {
            if cps.get(n) == Some(&'\u{20E3}') {
                return Some(n + 1);
            }
            return None;
        }
        return (n == 2).then_some(2);
    }
    if !is_pictographic(first) {
        return None;
    }
    let mut n = 1;
    loop {
        while cps.get(n).is_some_and(|&c| is_emoji_modifier(c)) {
            n += 1;
        }
        let joined =
            cps.get(n) == Some(&'\u{200D}') && cps.get(n + 1).is_some_and(|&c| is_pictographic(c));
        if joined {
            n += 2;
        } else {
            return Some(n);
        }
    }
}

const GTLDS: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "name",
    "pro",
    "aero",
    "coop",
    "museum",
    "mobi",
    "asia",
    "tel",
    "travel",
    "jobs",
    "cat",
    "xyz",
    "app",
    "dev",
    "blog",
    "shop",
    "store",
    "online",
    "site",
    "tech",
    "page",
    "link",
    "news",
    "live",
    "media",
    "club",
    "art",
    "design",
    "studio",
    "agency",
    "digital",
    "email",
    "cloud",
    "host",
    "space",
    "website",
    "world",
    "today",
    "life",
    "show",
    "podcast",
    "audio",
    "chat",
    "city",
    "community",
    "company",
    "consulting",
    "events",
    "expert",
    "fund",
    "global",
    "group",
    "guru",
    "health",
    "help",
    "institute",
    "land",
    "marketing",
    "network",
    "one",
    "partners",
    "photo",
    "photography",
    "plus",
    "press",
    "productions",
    "radio",
    "rocks",
    "solutions",
    "support",
    "systems",
    "team",
    "tools",
    "video",
    "wiki",
    "work",
    "works",
    "zone",
    "love",
    "fyi",
    "social",
    "stream",
    "music",
    "games",
    "bio",
    "academy",
    "school",
    "coach",
    "money",
    "finance",
    "capital",
    "ventures",
    "church",
    "earth",
];

const CCTLDS: &str = "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh \
bi bj bm bn bo br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de \
dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr \
gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp \
kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu \
mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py \
qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg \
th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw";

fn is_cctld(label: &str) -> bool {
    label.len() == 2 && CCTLDS.split_whitespace().any(|t| t == label)
}

fn is_tld(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    GTLDS.contains(&l.as_str()) || is_cctld(&l)
}

fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// A host name's labels are well formed (`a-b.example.com`).
fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|t| t.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Characters that may not precede a link: letters, digits, `@`, `$`, `#`
/// (twitter-text's `validUrlPrecedingChars`).
fn blocks_url(prev: Option<char>) -> bool {
    prev.is_some_and(|p| p.is_alphanumeric() || matches!(p, '@' | '$' | '#' | '＠' | '＃'))
}

/// Byte end of a link's path, query or fragment starting at `from`, with
/// trailing sentence punctuation left out (a `)` stays when it closes a
/// `(` inside the link).
fn path_end(text: &str, from: usize) -> usize {
    let rest = &text[from..];
    let stop = rest
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '“' | '”' | '…'))
        .map_or(rest.len(), |(i, _)| i);
    let mut end = from + stop;
    while let Some(last) = text[from..end].chars().next_back() {
        let trailing = matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | ']' | '}')
            || (last == ')' && {
                let seg = &text[from..end];
                seg.matches('(').count() < seg.matches(')').count()
            })
            || !last.is_ascii() && !last.is_alphanumeric();
        if trailing {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Byte ranges of the links X would shorten, in order.
fn find_urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    while i < text.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let prev = text[..i].chars().next_back();
        let c = text[i..].chars().next().unwrap_or(' ');
        if !c.is_ascii_alphanumeric() || blocks_url(prev) {
            i += c.len_utf8();
            continue;
        }
        if let Some(end) = url_at(text, &lower, i, prev) {
            out.push((i, end));
            i = end;
            continue;
        }
        // Skip the rest of this run of host characters: a link cannot
        // start in the middle of a word.
        while i < text.len()
            && text[i..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The byte end of a link starting at byte `i`, if one does.
fn url_at(text: &str, lower: &str, i: usize, prev: Option<char>) -> Option<usize> {
    let rest = &lower[i..];
    let protocol = ["https://", "http://"]
        .iter()
        .find(|p| rest.starts_with(**p))
        .map(|p| p.len());
    let host_start = i + protocol.unwrap_or(0);
    let host_len = text[host_start..]
        .char_indices()
        .find(|&(_, c)| !is_host_char(c))
        .map_or(text.len() - host_start, |(j, _)| j);
    let host = text[host_start..host_start + host_len].trim_end_matches(['.', '-']);
    if !valid_host(host) {
        return None;
    }
    let mut end = host_start + host.len();
    // Optional port.
    if text[end..].starts_with(':') {
        let digits = text[end + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        if digits > 0 {
            end += 1 + digits;
        }
    }
    let has_path = matches!(text[end..].chars().next(), Some('/' | '?' | '#'));
    if protocol.is_none() {
        if prev.is_some_and(|p| matches!(p, '-' | '_' | '.' | '/')) {
            return None;
        }
        let labels: Vec<&str> = host.split('.').collect();
        let tld = labels.last().copied().unwrap_or("");
        let www = host.to_ascii_lowercase().starts_with("www.");
        if !is_tld(tld) {
            return None;
        }
        // `example.jp` alone is not linked; `example.jp/x`, `bbc.co.uk`,
        // `example.com` and `www.example.jp` are.
        let short_cc = labels.len() == 2
            && is_cctld(&tld.to_ascii_lowercase())
            && !GTLDS.contains(&tld.to_ascii_lowercase().as_str());
        if short_cc && !has_path && !www && !host.eq_ignore_ascii_case("t.co") {
            return None;
        }
    }
    if has_path {
        end = path_end(text, end);
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_counts_one_per_character() {
        assert_eq!(x_weighted_len(""), 0);
        assert_eq!(x_weighted_len("Hello world"), 11);
        assert_eq!(x_weighted_len(&"a".repeat(280)), 280);
        assert_eq!(x_weighted_len("café — “quoted”"), 15);
        assert_eq!(x_weighted_len("Привет"), 6);
    }

    #[test]
    fn cjk_and_symbols_count_two() {
        assert_eq!(x_weighted_len("こんにちは"), 10);
        assert_eq!(x_weighted_len("Hello world こんにちは世界"), 12 + 14);
        assert_eq!(x_weighted_len("안녕"), 4);
        // The ellipsis is outside the light ranges.
        assert_eq!(x_weighted_len("…"), 2);
        assert_eq!(x_weighted_len("a · b"), 5);
    }

    #[test]
    fn emoji_sequences_count_two() {
        // twitter-text conformance: "H🐱☺👨‍👩‍👧‍👦" weighs 7.
        assert_eq!(x_weighted_len("H🐱☺👨‍👩‍👧‍👦"), 7);
        assert_eq!(x_weighted_len("👍🏽"), 2);
        assert_eq!(x_weighted_len("🇺🇸🇫🇷"), 4);
        assert_eq!(x_weighted_len("1️⃣"), 2);
        assert_eq!(x_weighted_len("❤️"), 2);
        assert_eq!(x_weighted_len("🏳️‍🌈"), 2);
        assert_eq!(x_weighted_len("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), 2);
        assert_eq!(x_weighted_len("©"), 1);
        assert_eq!(x_weighted_len("©️"), 2);
        assert_eq!(x_weighted_len("🎙️ Episode 12"), 2 + 11);
    }

    #[test]
    fn links_count_twenty_three() {
        assert_eq!(x_weighted_len("https://example.com"), 23);
        assert_eq!(
            x_weighted_len("Listen: https://example.com/episodes/2024/a-very-long-slug-here"),
            8 + 23
        );
        assert_eq!(x_weighted_len("http://t.co"), 23);
        assert_eq!(x_weighted_len("example.com"), 23);
        assert_eq!(x_weighted_len("see example.com."), 4 + 23 + 1);
        assert_eq!(x_weighted_len("www.example.fm"), 23);
        assert_eq!(x_weighted_len("growthhour.fm/ep12 now"), 23 + 4);
        assert_eq!(x_weighted_len("bbc.co.uk"), 23);
        assert_eq!(
            x_weighted_len("(https://en.wikipedia.org/wiki/Foo_(bar))"),
            1 + 23 + 1
        );
        assert_eq!(x_weighted_len("two: a.com b.org"), 5 + 23 + 1 + 23);
    }

    #[test]
    fn things_that_are_not_links() {
        // A single label with a country code and no path is not linked.
        assert_eq!(x_weighted_len("example.fm"), 10);
        assert_eq!(x_weighted_len("e.g. this"), 9);
        assert_eq!(x_weighted_len("version 3.5"), 11);
        assert_eq!(x_weighted_len("Node.js"), 7);
        assert_eq!(x_weighted_len("me@example.com"), 14);
        assert_eq!(x_weighted_len("#example.com"), 12);
        assert_eq!(x_weighted_len("clipper.toml"), 12);
    }
}
