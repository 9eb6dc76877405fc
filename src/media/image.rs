//! Cover pictures for the quote cards: a PNG or JPEG decoded to RGB (the
//! `png` and `jpeg-decoder` crates, both pure Rust), and drawn to fill a
//! card, centre-cropped, toned down towards the brand colour so the quote
//! stays readable over it.

use crate::audio::cover::ImageFormat;

/// A decoded picture, 8-bit RGB, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
    /// `width × height × 3` bytes.
    pub rgb: Vec<u8>,
}

/// How much of the brand background colour is laid over a cover picture
/// on a card (0: the picture as it is, 1: no picture).
pub const TONE: f32 = 0.7;

impl Image {
    /// Decodes a PNG or JPEG file's bytes; the error says what is wrong.
    pub fn decode(bytes: &[u8]) -> Result<Image, String> {
        match ImageFormat::sniff(bytes) {
            Some(ImageFormat::Png) => decode_png(bytes),
            Some(ImageFormat::Jpeg) => decode_jpeg(bytes),
            None => Err("not a PNG or JPEG picture".into()),
        }
    }

    /// This picture scaled to cover `w`×`h` (centre-cropped, bilinear) and
    /// blended [`TONE`] of the way towards `tint`: a card's background.
    pub fn backdrop(&self, w: u32, h: u32, tint: [u8; 3]) -> Vec<u8> {
        let scale = (w as f32 / self.width as f32).max(h as f32 / self.height as f32);
        let x0 = (self.width as f32 * scale - w as f32) / 2.0;
        let y0 = (self.height as f32 * scale - h as f32) / 2.0;
        let mut out = Vec::with_capacity((w * h * 3) as usize);
        for y in 0..h {
            let sy = ((y as f32 + 0.5 + y0) / scale - 0.5).max(0.0);
            for x in 0..w {
                let sx = ((x as f32 + 0.5 + x0) / scale - 0.5).max(0.0);
                let px = self.sample(sx, sy);
                for (p, t) in px.iter().zip(tint) {
                    out.push((p * (1.0 - TONE) + t as f32 * TONE).round() as u8);
                }
            }
        }
        out
    }

    /// The colour at a fractional position, bilinear.
    fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        let (w, h) = (self.width as usize, self.height as usize);
        let (xa, ya) = ((x as usize).min(w - 1), (y as usize).min(h - 1));
        let (xb, yb) = ((xa + 1).min(w - 1), (ya + 1).min(h - 1));
        let (fx, fy) = (x - xa as f32, y - ya as f32);
        let at = |x: usize, y: usize, c: usize| self.rgb[(y * w + x) * 3 + c] as f32;
        std::array::from_fn(|c| {
            let top = at(xa, ya, c) * (1.0 - fx) + at(xb, ya, c) * fx;
            let bottom = at(xa, yb, c) * (1.0 - fx) + at(xb, yb, c) * fx;
            top * (1.0 - fy) + bottom * fy
        })
    }
}

fn decode_png(bytes: &[u8]) -> Result<Image, String> {
    let mut d = png::Decoder::new(std::io::Cursor::new(bytes));
    d.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = d.read_info().map_err(|e| format!("PNG: {e}"))?;
    let size = r
        .output_buffer_size()
        .ok_or("PNG: the picture is too large")?;
    let mut buf = vec![0; size];
    let info = r.next_frame(&mut buf).map_err(|e| format!("PNG: {e}"))?;
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0]])
            .collect(),
        png::ColorType::Indexed => return Err("PNG: palette left unexpanded".into()),
    };
    checked(info.width, info.height, rgb)
}

fn decode_jpeg(bytes: &[u8]) -> Result<Image, String> {
    let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    let px = d.decode().map_err(|e| format!("JPEG: {e}"))?;
    let info = d.info().ok_or("JPEG: no picture in it")?;
    use jpeg_decoder::PixelFormat as F;
    let rgb = match info.pixel_format {
        F::RGB24 => px,
        F::L8 => px.iter().flat_map(|&g| [g, g, g]).collect(),
        F::L16 => px
            .chunks_exact(2)
            .flat_map(|g| [g[0], g[0], g[0]])
            .collect(),
        F::CMYK32 => px
            .chunks_exact(4)
            .flat_map(|p| {
                let k = 255 - p[3] as u32;
                let c = |v: u8| ((255 - v as u32) * k / 255) as u8;
                [c(p[0]), c(p[1]), c(p[2])]
            })
            .collect(),
    };
    checked(info.width as u32, info.height as u32, rgb)
}

fn checked(width: u32, height: u32, rgb: Vec<u8>) -> Result<Image, String> {
    if width == 0 || height == 0 || rgb.len() != (width * height * 3) as usize {
        return Err("the picture's size does not match its pixels".into());
    }
    Ok(Image { width, height, rgb })
}
