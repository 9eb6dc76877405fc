//! Pictures for the quote cards: a PNG or JPEG decoded to RGB (the `png`
//! and `jpeg-decoder` crates, both pure Rust) with its transparency when it
//! has one. A cover is drawn to fill a card, centre-cropped, toned down
//! towards the brand colour so the quote stays readable over it; a logo is
//! scaled into a corner box ([`Image::fit_into`], [`Image::resized`]).

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
    /// `width × height` opacities (255: opaque) when the picture has
    /// transparency (a PNG with alpha); `None` when it is opaque.
    pub alpha: Option<Vec<u8>>,
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

    /// The largest size of this picture's shape inside a `w`×`h` box
    /// (never 0 on a side).
    pub fn fit_into(&self, w: u32, h: u32) -> (u32, u32) {
        let scale = (w as f64 / self.width as f64).min(h as f64 / self.height as f64);
        let side = |n: u32| ((n as f64 * scale).round() as u32).max(1);
        (side(self.width), side(self.height))
    }

    /// This picture scaled to exactly `w`×`h` (bilinear), transparency
    /// included.
    pub fn resized(&self, w: u32, h: u32) -> Image {
        let (sx, sy) = (self.width as f32 / w as f32, self.height as f32 / h as f32);
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        let mut alpha = self
            .alpha
            .as_ref()
            .map(|_| Vec::with_capacity((w * h) as usize));
        for y in 0..h {
            let fy = ((y as f32 + 0.5) * sy - 0.5).max(0.0);
            for x in 0..w {
                let fx = ((x as f32 + 0.5) * sx - 0.5).max(0.0);
                rgb.extend(self.sample(fx, fy).map(|c| c.round() as u8));
                if let (Some(out), Some(a)) = (alpha.as_mut(), self.alpha.as_ref()) {
                    out.push(bilinear(a, self.width, self.height, 1, fx, fy)[0].round() as u8);
                }
            }
        }
        Image {
            width: w,
            height: h,
            rgb,
            alpha,
        }
    }

    /// The colour at a fractional position, bilinear.
    fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        bilinear(&self.rgb, self.width, self.height, 3, x, y)
    }
}

/// The first three (or fewer) channels of `px` (`n` channels a pixel, `w`
/// by `h`) at a fractional position, bilinear.
fn bilinear(px: &[u8], w: u32, h: u32, n: usize, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (w as usize, h as usize);
    let (xa, ya) = ((x as usize).min(w - 1), (y as usize).min(h - 1));
    let (xb, yb) = ((xa + 1).min(w - 1), (ya + 1).min(h - 1));
    let (fx, fy) = (x - xa as f32, y - ya as f32);
    let at = |x: usize, y: usize, c: usize| px[(y * w + x) * n + c] as f32;
    std::array::from_fn(|c| {
        let c = c.min(n - 1);
        let top = at(xa, ya, c) * (1.0 - fx) + at(xb, ya, c) * fx;
        let bottom = at(xa, yb, c) * (1.0 - fx) + at(xb, yb, c) * fx;
        top * (1.0 - fy) + bottom * fy
    })
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
    let rgb: (Vec<u8>, Option<Vec<u8>>) = match info.color_type {
        png::ColorType::Rgb => (buf, None),
        png::ColorType::Rgba => (
            buf.chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect(),
            Some(buf.chunks_exact(4).map(|p| p[3]).collect()),
        ),
        png::ColorType::Grayscale => (buf.iter().flat_map(|&g| [g, g, g]).collect(), None),
        png::ColorType::GrayscaleAlpha => (
            buf.chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0]])
                .collect(),
            Some(buf.chunks_exact(2).map(|p| p[1]).collect()),
        ),
        png::ColorType::Indexed => return Err("PNG: palette left unexpanded".into()),
    };
    let mut img = checked(info.width, info.height, rgb.0)?;
    img.alpha = rgb.1;
    Ok(img)
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
    Ok(Image {
        width,
        height,
        rgb,
        alpha: None,
    })
}
