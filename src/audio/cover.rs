//! The cover picture embedded in an episode file (an ID3 `APIC` frame in
//! MP3, `covr` in MP4/M4A, a `METADATA_BLOCK_PICTURE` in FLAC/Ogg), read
//! through symphonia's metadata. Audiograms and quote cards show it when
//! the client's settings name no cover of their own.

use std::path::Path;

use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::{MetadataOptions, StandardVisualKey, Visual};
use symphonia::core::probe::Hint;

/// An embedded picture's image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageFormat {
    /// The format of an image from its first bytes; None for anything but
    /// PNG and JPEG.
    pub fn sniff(data: &[u8]) -> Option<ImageFormat> {
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageFormat::Jpeg)
        } else {
            None
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }
}

/// A picture embedded in an episode file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedPicture {
    /// PNG or JPEG.
    pub format: ImageFormat,
    /// The image file's bytes, as embedded.
    pub data: Vec<u8>,
}

/// The episode's embedded cover: the front cover if it is marked as one,
/// else the first PNG or JPEG picture. None when there is none or the
/// file's tags cannot be read (the episode then has no cover; nothing
/// fails).
pub fn embedded_picture(path: &Path) -> Option<EmbeddedPicture> {
    let file = std::fs::File::open(path).ok()?;
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    // a damaged tag must cost the cover, never the run
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut probed = symphonia::default::get_probe()
            .format(
                &hint,
                mss,
                &FormatOptions::default(),
                &MetadataOptions::default(),
            )
            .ok()?;
        let mut visuals: Vec<Visual> = Vec::new();
        if let Some(rev) = probed.metadata.get().as_ref().and_then(|m| m.current()) {
            visuals.extend(rev.visuals().iter().cloned());
        }
        if let Some(rev) = probed.format.metadata().current() {
            visuals.extend(rev.visuals().iter().cloned());
        }
        pick(visuals)
    }))
    .ok()
    .flatten()
}

/// The front cover, else the first picture in a format clipper draws.
fn pick(visuals: Vec<Visual>) -> Option<EmbeddedPicture> {
    let usable = |v: &Visual| ImageFormat::sniff(&v.data).is_some();
    let front = visuals
        .iter()
        .position(|v| v.usage == Some(StandardVisualKey::FrontCover) && usable(v));
    let i = front.or_else(|| visuals.iter().position(usable))?;
    let data = visuals[i].data.to_vec();
    Some(EmbeddedPicture {
        format: ImageFormat::sniff(&data)?,
        data,
    })
}
