//! Quote cards: the clip's most quotable sentence as a PNG for Instagram
//! (1080×1350) and LinkedIn/X (1200×627), in the brand kit's colours, with
//! the show's name. Drawn in Rust (`ab_glyph` rasterises the bundled font,
//! `png` encodes), so cards need no FFmpeg.
//!
//! The quote is fitted, never cut off at the edge: lines are broken by the
//! font's measured advances, and the size shrinks until the block fits the
//! box inside the margins; a quote too long even at the smallest size is
//! shortened at a word with an ellipsis.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};

use super::image::Image;

/// A card size and its text box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardSpec {
    /// File suffix, e.g. `quote` → `clips/<id>.quote.png`.
    pub suffix: &'static str,
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// Margin on every side, px.
    pub margin: u32,
    /// Largest quote size, px.
    pub max_size: f32,
}

/// Instagram portrait card.
pub const INSTAGRAM: CardSpec = CardSpec {
    suffix: "quote",
    width: 1080,
    height: 1350,
    margin: 100,
    max_size: 84.0,
};

/// LinkedIn (and X) landscape card.
pub const LINKEDIN: CardSpec = CardSpec {
    suffix: "quote.1200x627",
    width: 1200,
    height: 627,
    margin: 64,
    max_size: 60.0,
};

/// Smallest quote size before the quote is shortened, px.
const MIN_SIZE: f32 = 26.0;

/// What goes on a card.
pub struct CardText<'a> {
    /// The quote (without quotation marks).
    pub quote: &'a str,
    /// The line under it: show name, speaker.
    pub credit: &'a str,
}

/// Colours of a card, RGB.
pub struct CardColours {
    /// Background.
    pub background: [u8; 3],
    /// Quote text.
    pub text: [u8; 3],
    /// Credit line and the bar.
    pub accent: [u8; 3],
}

/// How the quote was fitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Font size used, px.
    pub size: f32,
    /// The lines drawn.
    pub lines: Vec<String>,
    /// The widest line, px.
    pub widest: f32,
}

fn width_of(font: &FontRef, size: f32, s: &str) -> f32 {
    let f = font.as_scaled(PxScale::from(size));
    let mut w = 0.0;
    let mut prev = None;
    for ch in s.chars() {
        let id = f.glyph_id(ch);
        if let Some(p) = prev {
            w += f.kern(p, id);
        }
        w += f.h_advance(id);
        prev = Some(id);
    }
    w
}

/// Greedy line breaking by measured width; None when a single word is
/// wider than `max`.
fn wrap(font: &FontRef, size: f32, text: &str, max: f32) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if width_of(font, size, &trial) <= max {
            cur = trial;
        } else {
            if cur.is_empty() || width_of(font, size, word) > max {
                return None;
            }
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Some(lines)
}

/// Fits `quote` into a `w`×`h` box: the largest size from `max_size` down
/// whose wrapped lines fit, shortening the quote at the smallest size.
pub fn fit(font: &FontRef, quote: &str, w: f32, h: f32, max_size: f32) -> Fit {
    let quoted = |q: &str| format!("\u{201c}{q}\u{201d}");
    let mut size = max_size;
    loop {
        if let Some(lines) = wrap(font, size, &quoted(quote), w) {
            if lines.len() as f32 * size * 1.25 <= h || size <= MIN_SIZE {
                if lines.len() as f32 * size * 1.25 <= h {
                    return make_fit(font, size, lines);
                }
                break;
            }
        } else if size <= MIN_SIZE {
            break;
        }
        size = (size - 2.0).max(MIN_SIZE);
    }
    // Too long even at the smallest size: drop words from the end.
    let words: Vec<&str> = quote.split_whitespace().collect();
    for n in (1..words.len()).rev() {
        let q = quoted(&format!("{}\u{2026}", words[..n].join(" ")));
        if let Some(lines) = wrap(font, MIN_SIZE, &q, w) {
            if lines.len() as f32 * MIN_SIZE * 1.25 <= h {
                return make_fit(font, MIN_SIZE, lines);
            }
        }
    }
    make_fit(font, MIN_SIZE, Vec::new())
}

fn make_fit(font: &FontRef, size: f32, lines: Vec<String>) -> Fit {
    let widest = lines
        .iter()
        .map(|l| width_of(font, size, l))
        .fold(0.0, f32::max);
    Fit {
        size,
        lines,
        widest,
    }
}

/// An RGB canvas.
struct Canvas {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Canvas {
    fn blend(&mut self, x: i64, y: i64, c: [u8; 3], a: f32) {
        if x < 0 || y < 0 || x >= self.w as i64 || y >= self.h as i64 {
            return;
        }
        let i = (y as usize * self.w as usize + x as usize) * 3;
        for (p, &want) in self.px[i..i + 3].iter_mut().zip(&c) {
            let old = *p as f32;
            *p = (old + (want as f32 - old) * a.clamp(0.0, 1.0)).round() as u8;
        }
    }

    /// Draws `s` with its left end at `x` and baseline at `y`.
    fn text(&mut self, font: &FontRef, size: f32, x: f32, y: f32, s: &str, c: [u8; 3]) {
        let f = font.as_scaled(PxScale::from(size));
        let mut pen = x;
        let mut prev = None;
        for ch in s.chars() {
            let id = f.glyph_id(ch);
            if let Some(p) = prev {
                pen += f.kern(p, id);
            }
            let g = id.with_scale_and_position(size, ab_glyph::point(pen, y));
            if let Some(o) = font.outline_glyph(g) {
                let b = o.px_bounds();
                o.draw(|gx, gy, a| {
                    self.blend(b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64, c, a)
                });
            }
            pen += f.h_advance(id);
            prev = Some(id);
        }
    }

    fn png(&self) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.w, self.h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| e.to_string())?;
        wr.write_image_data(&self.px).map_err(|e| e.to_string())?;
        wr.finish().map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// Renders a card as PNG bytes, with how its quote was fitted. Behind the
/// quote is `cover` (filled, centre-cropped and toned towards the
/// background colour, see [`Image::backdrop`]) or the plain background.
pub fn render(
    font_bytes: &[u8],
    spec: &CardSpec,
    text: &CardText,
    colours: &CardColours,
    cover: Option<&Image>,
) -> Result<(Vec<u8>, Fit), String> {
    let font = FontRef::try_from_slice(font_bytes).map_err(|e| format!("font: {e}"))?;
    let (w, h, m) = (spec.width, spec.height, spec.margin as f32);
    let mut cv = Canvas {
        w,
        h,
        px: match cover {
            Some(c) => c.backdrop(w, h, colours.background),
            None => colours.background.repeat((w * h) as usize),
        },
    };
    let credit_size = (spec.max_size * 0.5).max(22.0);
    let box_w = w as f32 - 2.0 * m;
    // the credit line and a gap sit below the quote box
    let box_h = h as f32 - 2.0 * m - credit_size * 2.5;
    let fit = fit(&font, text.quote, box_w, box_h, spec.max_size);
    let line_h = fit.size * 1.25;
    let block = fit.lines.len() as f32 * line_h;
    let top = m + (box_h - block) / 2.0;
    // accent bar at the left of the quote
    for y in top as i64..(top + block) as i64 {
        for x in (m * 0.4) as i64..(m * 0.4 + 8.0) as i64 {
            cv.blend(x, y, colours.accent, 1.0);
        }
    }
    for (i, line) in fit.lines.iter().enumerate() {
        let baseline = top + i as f32 * line_h + fit.size;
        cv.text(&font, fit.size, m, baseline, line, colours.text);
    }
    let credit = fit_credit(&font, text.credit, credit_size, box_w);
    cv.text(
        &font,
        credit_size,
        m,
        h as f32 - m - credit_size * 0.3,
        &credit,
        colours.accent,
    );
    Ok((cv.png()?, fit))
}

/// The credit line, shortened with an ellipsis to fit `w`.
fn fit_credit(font: &FontRef, credit: &str, size: f32, w: f32) -> String {
    let mut s = credit.trim().to_string();
    while !s.is_empty() && width_of(font, size, &s) > w {
        s.pop();
        while s.ends_with(' ') {
            s.pop();
        }
        if width_of(font, size, &format!("{s}\u{2026}")) <= w {
            return format!("{s}\u{2026}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

    fn colours() -> CardColours {
        CardColours {
            background: [0x1b, 0x2a, 0x41],
            text: [255, 255, 255],
            accent: [255, 200, 87],
        }
    }

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf)
    }

    /// True when every pixel outside `m` px of the edges... that is, in
    /// the margin band, is the background.
    fn margins_empty(w: u32, h: u32, px: &[u8], m: u32, bg: [u8; 3]) -> bool {
        (0..h).all(|y| {
            (0..w).all(|x| {
                let inside = x >= m && x < w - m && y >= m && y < h - m;
                let i = ((y * w + x) * 3) as usize;
                inside || px[i..i + 3] == bg
            })
        })
    }

    #[test]
    fn short_and_long_quotes_fit_both_sizes_with_empty_margins() {
        let short = "Ideas are cheap; shipping is hard.";
        let long = "Thou that art now the world's fresh ornament, and only herald to the gaudy spring, within thine own bud buriest thy content, and tender churl makest waste in niggarding. Pity the world, or else this glutton be, to eat the world's due, by the grave and thee. ".repeat(3);
        for spec in [INSTAGRAM, LINKEDIN] {
            let text = |q| CardText {
                quote: q,
                credit: "Signal & Noise",
            };
            let (a, fa) = render(FONT, &spec, &text(short), &colours(), None).unwrap();
            let (b, fb) = render(FONT, &spec, &text(&long), &colours(), None).unwrap();
            assert!(fb.size < fa.size, "{:?} {}", fb.size, fa.size);
            assert!(!fb.lines.is_empty());
            for (png_bytes, f) in [(a, fa), (b, fb)] {
                assert!(f.widest <= (spec.width - 2 * spec.margin) as f32);
                let (w, h, px) = decode(&png_bytes);
                assert_eq!((w, h), (spec.width, spec.height));
                // the accent bar sits in the left margin at 40%: check from there
                let m = spec.margin * 4 / 10;
                assert!(margins_empty(w, h, &px, m, colours().background));
            }
        }
    }
}
