//! Quote cards: the clip's most quotable sentence as a PNG for Instagram
//! (1080×1350) and LinkedIn/X (1200×627), in the brand kit's colours, with
//! who said it (when `[speakers]` names them: "— Dana (host)"), the show's
//! name and the brand kit's logo in the corner beside them. Drawn in Rust (`ab_glyph` rasterises the bundled font,
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
    /// Who said it, by name (empty: not shown); drawn under the quote as
    /// "— name".
    pub speaker: &'a str,
    /// The last line: the show's name.
    pub credit: &'a str,
}

/// What was drawn on a card, for checking that it fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    /// How the quote was fitted.
    pub fit: Fit,
    /// The attribution lines as drawn, top to bottom ("— Dana (host)",
    /// then the show), shortened to fit when they had to be.
    pub credits: Vec<String>,
    /// The widest attribution line, px.
    pub credits_widest: f32,
    /// Where the logo went (x, y, width, height), px.
    pub logo: Option<(u32, u32, u32, u32)>,
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

    /// Draws `logo` in the bottom-right corner inside the margins, at most
    /// `height` px high and a quarter of the card wide; returns where.
    fn logo(&mut self, logo: &Image, spec: &CardSpec, height: f32) -> (u32, u32, u32, u32) {
        let (lw, lh) = logo.fit_into(spec.width / 4, height.round() as u32);
        let small = logo.resized(lw, lh);
        let x0 = spec.width - spec.margin - lw;
        let y0 = spec.height - spec.margin - lh;
        for y in 0..lh {
            for x in 0..lw {
                let i = (y * lw + x) as usize;
                let a = small.alpha.as_ref().map_or(255, |a| a[i]);
                let c = [small.rgb[i * 3], small.rgb[i * 3 + 1], small.rgb[i * 3 + 2]];
                self.blend((x0 + x) as i64, (y0 + y) as i64, c, a as f32 / 255.0);
            }
        }
        (x0, y0, lw, lh)
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

/// Renders a card as PNG bytes, with what was drawn. Behind the quote is
/// `cover` (filled, centre-cropped and toned towards the background
/// colour, see [`Image::backdrop`]) or the plain background. Under the
/// quote sit the attribution lines (the speaker's name when given, then
/// the show), with `logo` in the bottom corner beside them.
pub fn render(
    font_bytes: &[u8],
    spec: &CardSpec,
    text: &CardText,
    colours: &CardColours,
    cover: Option<&Image>,
    logo: Option<&Image>,
) -> Result<(Vec<u8>, Drawn), String> {
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
    let lines = 1 + usize::from(!text.speaker.trim().is_empty());
    let box_w = w as f32 - 2.0 * m;
    // the attribution lines and a gap sit below the quote box
    let box_h = h as f32 - 2.0 * m - credit_size * (1.2 + 1.3 * lines as f32);
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
    let logo = logo.map(|l| cv.logo(l, spec, credit_size * 1.3 * lines as f32));
    let room = box_w - logo.map_or(0.0, |(_, _, lw, _)| lw as f32 + credit_size);
    let (credits, credits_widest) =
        draw_credits(&mut cv, &font, text, colours, credit_size, spec, room);
    let drawn = Drawn {
        fit,
        credits,
        credits_widest,
        logo,
    };
    Ok((cv.png()?, drawn))
}

/// Draws the attribution lines at the bottom left, each shortened to
/// `room` px: "— speaker" in the text colour (when named), then the show
/// in the accent colour. Returns them and the widest, px.
fn draw_credits(
    cv: &mut Canvas,
    font: &FontRef,
    text: &CardText,
    colours: &CardColours,
    size: f32,
    spec: &CardSpec,
    room: f32,
) -> (Vec<String>, f32) {
    let mut lines = Vec::new();
    if !text.speaker.trim().is_empty() {
        let who = format!("\u{2014} {}", text.speaker.trim());
        lines.push((fit_credit(font, &who, size, room), colours.text));
    }
    lines.push((fit_credit(font, text.credit, size, room), colours.accent));
    let m = spec.margin as f32;
    let last = spec.height as f32 - m - size * 0.3;
    let n = lines.len();
    for (i, (line, colour)) in lines.iter().enumerate() {
        let baseline = last - (n - 1 - i) as f32 * size * 1.3;
        cv.text(font, size, m, baseline, line, *colour);
    }
    let widest = lines
        .iter()
        .map(|(l, _)| width_of(font, size, l))
        .fold(0.0, f32::max);
    (lines.into_iter().map(|(l, _)| l).collect(), widest)
}

/// The credit line, shortened with an ellipsis to fit `w`.
fn fit_credit(font: &FontRef, credit: &str, size: f32, w: f32) -> String {
    let mut s = credit.trim().to_string();
    if width_of(font, size, &s) <= w {
        return s;
    }
    while !s.is_empty() {
        s.pop();
        let kept = s.trim_end();
        if width_of(font, size, &format!("{kept}\u{2026}")) <= w {
            return format!("{kept}\u{2026}");
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
                speaker: "",
                credit: "Signal & Noise",
            };
            let (a, fa) = render(FONT, &spec, &text(short), &colours(), None, None).unwrap();
            let (b, fb) = render(FONT, &spec, &text(&long), &colours(), None, None).unwrap();
            let (fa, fb) = (fa.fit, fb.fit);
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

    /// A logo picture: `w`×`h`, opaque red inside a transparent border of
    /// a tenth of its size.
    fn red_logo(w: u32, h: u32) -> Image {
        let (bx, by) = (w / 10, h / 10);
        let inside = |x: u32, y: u32| x >= bx && x < w - bx && y >= by && y < h - by;
        Image {
            width: w,
            height: h,
            rgb: [220, 20, 20].repeat((w * h) as usize),
            alpha: Some(
                (0..h)
                    .flat_map(|y| (0..w).map(move |x| if inside(x, y) { 255 } else { 0 }))
                    .collect(),
            ),
        }
    }

    /// The mean colour of a rectangle.
    fn mean(px: &[u8], w: u32, (x0, y0, rw, rh): (u32, u32, u32, u32)) -> [f64; 3] {
        let mut sum = [0.0; 3];
        for y in y0..y0 + rh {
            for x in x0..x0 + rw {
                let i = ((y * w + x) * 3) as usize;
                for c in 0..3 {
                    sum[c] += px[i + c] as f64;
                }
            }
        }
        sum.map(|s| s / (rw * rh) as f64)
    }

    #[test]
    fn the_card_names_the_speaker_and_the_show_and_the_quote_still_fits() {
        let long = "Thou that art now the world's fresh ornament, and only herald to the gaudy spring, within thine own bud buriest thy content. ".repeat(6);
        for spec in [INSTAGRAM, LINKEDIN] {
            for quote in ["Ideas are cheap; shipping is hard.", long.as_str()] {
                let named = CardText {
                    quote,
                    speaker: "Dana (host)",
                    credit: "Signal & Noise",
                };
                let (bytes, d) = render(FONT, &spec, &named, &colours(), None, None).unwrap();
                assert_eq!(d.credits, ["\u{2014} Dana (host)", "Signal & Noise"]);
                let inner = (spec.width - 2 * spec.margin) as f32;
                assert!(d.fit.widest <= inner && d.credits_widest <= inner);
                assert!(!d.fit.lines.is_empty());
                let (w, h, px) = decode(&bytes);
                let m = spec.margin * 4 / 10;
                assert!(margins_empty(w, h, &px, m, colours().background));
                // the quote block ends above the attribution lines
                let credit_size = (spec.max_size * 0.5).max(22.0);
                let box_h = h as f32 - 2.0 * spec.margin as f32 - credit_size * 3.8;
                let block = d.fit.lines.len() as f32 * d.fit.size * 1.25;
                assert!(block <= box_h, "{block} > {box_h}");
            }
        }
        // a very long name is shortened, never drawn past the margin
        let text = CardText {
            quote: "Short.",
            speaker: &"Dana Montgomery-Fitzwilliam (host and producer) ".repeat(4),
            credit: "Signal & Noise",
        };
        let (_, d) = render(FONT, &LINKEDIN, &text, &colours(), None, None).unwrap();
        assert!(d.credits[0].ends_with('\u{2026}'), "{:?}", d.credits);
        assert!(d.credits_widest <= (LINKEDIN.width - 2 * LINKEDIN.margin) as f32);
    }

    #[test]
    fn the_logo_sits_in_the_bottom_corner_beside_the_credits() {
        for spec in [INSTAGRAM, LINKEDIN] {
            let text = CardText {
                quote: "Ideas are cheap; shipping is hard.",
                speaker: "Dana (host)",
                credit: &"Signal & Noise, the weekly show about ".repeat(3),
            };
            let logo = red_logo(400, 200);
            let (plain, _) = render(FONT, &spec, &text, &colours(), None, None).unwrap();
            let (with, d) = render(FONT, &spec, &text, &colours(), None, Some(&logo)).unwrap();
            let (x, y, lw, lh) = d.logo.expect("a logo drawn");
            // inside the margins, in the bottom-right corner, 2:1 as given
            assert_eq!(x + lw, spec.width - spec.margin);
            assert_eq!(y + lh, spec.height - spec.margin);
            assert!((lw as f32 / lh as f32 - 2.0).abs() < 0.05, "{lw}x{lh}");
            // the credits make room for it
            let room = (spec.width - 2 * spec.margin - lw) as f32;
            assert!(d.credits_widest <= room, "{} > {room}", d.credits_widest);
            let (w, h, a) = decode(&plain);
            let (_, _, b) = decode(&with);
            // the logo's middle is red; its transparent border shows the card
            let centre = mean(&b, w, (x + lw / 4, y + lh / 4, lw / 2, lh / 2));
            assert!(centre[0] > 200.0 && centre[1] < 40.0, "{centre:?}");
            let edge = mean(&b, w, (x, y, lw, 2));
            let before = mean(&a, w, (x, y, lw, 2));
            assert!(
                (0..3).all(|c| (edge[c] - before[c]).abs() < 3.0),
                "{edge:?}"
            );
            let m = spec.margin * 4 / 10;
            assert!(margins_empty(w, h, &b, m, colours().background));
        }
    }
}
