//! Burned-in captions for the clip videos, as an ASS subtitle script that
//! FFmpeg's `ass` filter (libass) draws: a short line at a time, the word
//! being spoken in the accent colour, plus the show's name at the top.
//!
//! The layout keeps every line inside the platforms' safe area: nothing in
//! the top 250 px or the bottom 400 px of a 1920 px frame (scaled for the
//! other shapes), 60 px or more from the sides. Lines are cut by an
//! estimate of their width and libass wraps anything wider, inside the same
//! margins.

use crate::transcript::Word;

/// A frame shape and where things go in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Frame width, px.
    pub width: u32,
    /// Frame height, px.
    pub height: u32,
    /// Nothing drawn above this line, px from the top.
    pub safe_top: u32,
    /// Nothing drawn below this line, px from the top.
    pub safe_bottom: u32,
    /// Side margin, px.
    pub side: u32,
    /// Top of the caption block, px from the top.
    pub caption_top: u32,
    /// Caption font size, px.
    pub caption_size: u32,
    /// Top of the waveform band, px.
    pub wave_top: u32,
    /// Height of the waveform band, px.
    pub wave_height: u32,
    /// Top of the progress bar, px.
    pub bar_top: u32,
}

impl Layout {
    /// The layout of a shape named `9x16`, `1x1` or `16x9`.
    pub fn for_shape(shape: &str) -> Layout {
        match shape {
            "1x1" => Layout {
                width: 1080,
                height: 1080,
                safe_top: 120,
                safe_bottom: 960,
                side: 60,
                caption_top: 560,
                caption_size: 64,
                wave_top: 780,
                wave_height: 140,
                bar_top: 935,
            },
            "16x9" => Layout {
                width: 1920,
                height: 1080,
                safe_top: 100,
                safe_bottom: 980,
                side: 120,
                caption_top: 600,
                caption_size: 64,
                wave_top: 800,
                wave_height: 140,
                bar_top: 955,
            },
            _ => Layout {
                width: 1080,
                height: 1920,
                safe_top: 250,
                safe_bottom: 1520,
                side: 60,
                caption_top: 1080,
                caption_size: 72,
                wave_top: 1320,
                wave_height: 150,
                bar_top: 1490,
            },
        }
    }

    /// The box the brand kit's logo is fitted into, in the top-right
    /// corner inside the safe area, beside the show's name and above the
    /// picture: its largest width and height and its top, px.
    pub fn logo_box(&self) -> (u32, u32, u32) {
        let h = self.caption_size * 2 / 3 + 32;
        (3 * h, h, self.safe_top + 4)
    }

    /// Characters that fit on one caption line (DejaVu Sans Bold averages
    /// about 0.62 em per character; kept a little under).
    pub fn line_chars(&self) -> usize {
        let room = (self.width - 2 * self.side - 40) as f64;
        (room / (self.caption_size as f64 * 0.66)).floor() as usize
    }
}

/// Colours and font of the captions.
#[derive(Debug, Clone)]
pub struct Style {
    /// Font family name as libass finds it.
    pub font: String,
    /// Text colour, RGB.
    pub text: [u8; 3],
    /// The spoken word's colour, RGB.
    pub accent: [u8; 3],
    /// The show's name, drawn at the top (empty: none).
    pub show: String,
    /// The speaker's name, drawn above the captions (empty: none).
    pub speaker: String,
    /// Room kept free at both ends of the show's name, px: the logo sits
    /// in the top-right corner beside it (0: no logo).
    pub logo_room: u32,
}

/// ASS colour `&HBBGGRR&`.
fn colour(c: [u8; 3]) -> String {
    format!("&H{:02X}{:02X}{:02X}&", c[2], c[1], c[0])
}

/// ASS time `H:MM:SS.cc`.
fn time(t: f64) -> String {
    let cs = (t.max(0.0) * 100.0).round() as u64;
    format!(
        "{}:{:02}:{:02}.{:02}",
        cs / 360_000,
        cs / 6000 % 60,
        cs / 100 % 60,
        cs % 100
    )
}

/// Text safe inside an ASS event: no override braces, no line breaks.
fn clean(s: &str) -> String {
    s.trim()
        .replace(['{', '}'], "")
        .replace('\\', "/")
        .replace('\n', " ")
}

/// Groups words (clip time) into caption lines of at most `max` characters,
/// breaking early after a sentence end.
pub fn lines(words: &[Word], max: usize) -> Vec<Vec<Word>> {
    let mut out: Vec<Vec<Word>> = Vec::new();
    let mut cur: Vec<Word> = Vec::new();
    let mut len = 0;
    for w in words {
        let text = clean(&w.word);
        if text.is_empty() {
            continue;
        }
        if !cur.is_empty() && len + 1 + text.chars().count() > max {
            out.push(std::mem::take(&mut cur));
            len = 0;
        }
        len += text.chars().count() + usize::from(len > 0);
        cur.push(w.clone());
        if text.ends_with(['.', '?', '!']) && len > max / 2 {
            out.push(std::mem::take(&mut cur));
            len = 0;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The ASS script for a clip of `duration` seconds whose words (clip time)
/// are `words`.
pub fn script(words: &[Word], duration: f64, layout: &Layout, style: &Style) -> String {
    let mut s = header(layout, style);
    let end = time(duration);
    if !style.show.is_empty() {
        s.push_str(&format!(
            "Dialogue: 0,0:00:00.00,{end},Show,,0,0,0,,{}\n",
            clean(&style.show)
        ));
    }
    if !style.speaker.is_empty() {
        s.push_str(&format!(
            "Dialogue: 0,0:00:00.00,{end},Speaker,,0,0,0,,{}\n",
            clean(&style.speaker)
        ));
    }
    let all = lines(words, layout.line_chars());
    for (i, line) in all.iter().enumerate() {
        // A line stays up until the next one starts (or the clip ends).
        let line_end = all
            .get(i + 1)
            .map_or(duration, |next| next[0].start)
            .min(duration);
        for (k, w) in line.iter().enumerate() {
            let from = if k == 0 {
                w.start
            } else {
                w.start.max(line[0].start)
            };
            let to = line
                .get(k + 1)
                .map_or(line_end, |n| n.start)
                .max(from + 0.01);
            let text: Vec<String> = line
                .iter()
                .enumerate()
                .map(|(j, x)| {
                    if j == k {
                        format!("{{\\c{}}}{}{{\\r}}", colour(style.accent), clean(&x.word))
                    } else {
                        clean(&x.word)
                    }
                })
                .collect();
            s.push_str(&format!(
                "Dialogue: 1,{},{},Caption,,0,0,0,,{}\n",
                time(from),
                time(to),
                text.join(" ")
            ));
        }
    }
    s
}

fn header(l: &Layout, st: &Style) -> String {
    let (text, accent) = (colour(st.text), colour(st.accent));
    let small = l.caption_size * 2 / 3;
    format!(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: {w}\nPlayResY: {h}\nWrapStyle: 0\n\
         ScaledBorderAndShadow: yes\n\n[V4+ Styles]\n\
         Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, \
         BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, \
         BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n\
         Style: Caption,{font},{cs},{text},{text},&H000000&,&H80000000&,1,0,0,0,100,100,0,0,1,4,0,8,{m},{m},{ct},1\n\
         Style: Show,{font},{small},{text},{text},&H000000&,&H80000000&,1,0,0,0,100,100,0,0,1,3,0,8,{sm},{sm},{st},1\n\
         Style: Speaker,{font},{small},{accent},{accent},&H000000&,&H80000000&,1,0,0,0,100,100,0,0,1,3,0,8,{m},{m},{sp},1\n\n\
         [Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n",
        w = l.width,
        h = l.height,
        font = st.font,
        cs = l.caption_size,
        m = l.side + 20,
        sm = l.side + 20 + st.logo_room,
        ct = l.caption_top,
        st = l.safe_top + 20,
        sp = l.caption_top - small - 30,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(start: f64, end: f64, word: &str) -> Word {
        Word {
            speaker: None,
            start,
            end,
            word: format!(" {word}"),
            probability: 1.0,
        }
    }

    fn style() -> Style {
        Style {
            font: "DejaVu Sans".into(),
            text: [255, 255, 255],
            accent: [255, 200, 87],
            show: "Signal {&} Noise".into(),
            speaker: String::new(),
            logo_room: 0,
        }
    }

    #[test]
    fn each_word_gets_its_turn_in_the_accent_colour() {
        let words: Vec<Word> = (0..6)
            .map(|i| w(i as f64 * 0.5, i as f64 * 0.5 + 0.4, &format!("word{i}")))
            .collect();
        let s = script(&words, 3.2, &Layout::for_shape("9x16"), &style());
        let events: Vec<&str> = s.lines().filter(|l| l.contains(",Caption,")).collect();
        assert_eq!(events.len(), 6);
        assert!(
            events[2].contains("{\\c&H57C8FF&}word2{\\r}"),
            "{}",
            events[2]
        );
        assert!(events[2].starts_with("Dialogue: 1,0:00:01.00,0:00:01.50,"));
        assert!(s.contains("Show,,0,0,0,,Signal & Noise"));
    }

    #[test]
    fn lines_fit_the_width_and_the_layout_stays_in_the_safe_area() {
        for shape in ["9x16", "1x1", "16x9"] {
            let l = Layout::for_shape(shape);
            let long: Vec<Word> = (0..40)
                .map(|i| w(i as f64, i as f64 + 0.5, "extraordinarily"))
                .collect();
            for line in lines(&long, l.line_chars()) {
                let chars: usize = line.iter().map(|x| x.word.trim().len() + 1).sum();
                let px = chars as f64 * l.caption_size as f64 * 0.62;
                assert!(px <= (l.width - 2 * l.side) as f64, "{shape}: {px}");
            }
            // two caption lines, the speaker above and the bands below
            assert!(
                l.caption_top + 2 * l.caption_size * 6 / 5 <= l.wave_top,
                "{shape}"
            );
            assert!(l.wave_top + l.wave_height <= l.bar_top, "{shape}");
            assert!(l.bar_top + 12 <= l.safe_bottom, "{shape}");
            assert!(l.caption_top - l.caption_size * 2 / 3 - 30 >= l.safe_top + 80);
        }
    }

    #[test]
    fn times_are_centiseconds() {
        assert_eq!(time(3723.456), "1:02:03.46");
    }
}
