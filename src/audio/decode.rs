//! Decoding any container and codec symphonia knows, plus Opus and headerless
//! PCM, into mono f32 blocks.
//!
//! Audio is streamed packet by packet: each decoded packet is mixed down to
//! mono and handed on at once, so a long episode is never held at its
//! original rate and channel count.
//!
//! Gapless decoding is on: where the container says how many samples the
//! encoder added at the start and end (MP3's LAME/Xing header, Ogg granule
//! positions, Opus pre-skip, MP4 edit lists), they are cut, so every format
//! of the same recording decodes to the same length and timing.

use std::fs::File;
use std::path::Path;
use std::sync::OnceLock;

use symphonia::core::audio::{AudioBufferRef, SampleBuffer, SignalSpec};
use symphonia::core::codecs::{
    CodecParameters, CodecRegistry, CodecType, Decoder, DecoderOptions, CODEC_TYPE_AAC,
    CODEC_TYPE_NULL,
};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader, Packet};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::opus::OpusDecoder;
use super::raw::{self, RawFormat};
use super::trim::{self, Mp4Edit, Trim};
use super::{AudioError, StreamInfo};

/// How to decode a file: what cannot be learnt from the file itself.
#[derive(Debug, Clone, Default)]
pub struct DecodeOptions {
    /// Read the file as headerless samples in this format (`--raw-format`)
    /// instead of probing its container. Required for `.raw` and `.pcm` files.
    pub raw_format: Option<RawFormat>,
}

impl DecodeOptions {
    /// Options that read the file as headerless samples in `format`.
    pub fn raw(format: RawFormat) -> Self {
        DecodeOptions {
            raw_format: Some(format),
        }
    }
}

/// symphonia's codecs plus [`OpusDecoder`]: every codec clipper decodes.
pub fn codecs() -> &'static CodecRegistry {
    static REGISTRY: OnceLock<CodecRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = CodecRegistry::new();
        symphonia::default::register_enabled_codecs(&mut registry);
        registry.register_all::<OpusDecoder>();
        registry
    })
}

/// Decodes `path` with default options (no raw format); see
/// [`decode_mono_with`].
pub fn decode_mono(
    path: &Path,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    decode_mono_with(path, &DecodeOptions::default(), on_info, sink)
}

/// Decodes `path`, calling `on_info` once the format is known and then `sink`
/// with each block of mono samples at the source rate.
///
/// With `options.raw_format` the file is read as headerless samples; without
/// it, a `.raw`/`.pcm` file is refused with [`AudioError::RawFormatNeeded`]
/// and anything else is probed by its contents.
pub fn decode_mono_with(
    path: &Path,
    options: &DecodeOptions,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    // Every stream is checked against what audio files use before anything
    // is allocated for it, and every sample is a number when it leaves.
    let repaired = std::cell::Cell::new(0usize);
    let mut on_info = |i: &StreamInfo| check_bounds(i).and_then(|()| on_info(i));
    let mut sink = |b: &[f32]| {
        if b.iter().all(|x| x.is_finite()) {
            sink(b);
        } else {
            let bad = b.iter().filter(|x| !x.is_finite()).count();
            repaired.set(repaired.get() + bad);
            let fixed: Vec<f32> = b
                .iter()
                .map(|&x| if x.is_finite() { x } else { 0.0 })
                .collect();
            sink(&fixed);
        }
    };
    if options.raw_format.is_none() {
        if let Some(r) = super::ffmpeg::decode_video_sound(path, &mut on_info, &mut sink) {
            let mut info = r?;
            info.repaired_samples = repaired.get();
            return Ok(info);
        }
    }
    let mut info = match decode_checked(path, options, &mut on_info, &mut sink) {
        Err(e @ (AudioError::NoAudioTrack | AudioError::UnsupportedCodec(_))) => {
            super::ffmpeg::decode(path, e, &mut on_info, &mut sink)?
        }
        other => other?,
    };
    info.repaired_samples = repaired.get();
    Ok(info)
}

/// The sample rates and channel counts clipper accepts: telephone speech
/// (8 kHz) is the lowest a podcast uses, studio masters (192 kHz, 384 kHz
/// for DXD) the highest; 32 channels covers any surround or multitrack
/// mix. A header outside these is damaged or hostile, and believing it
/// could cost gigabytes.
pub const RATE_BOUNDS: (u32, u32) = (4_000, 384_000);
/// Most channels a stream may have.
pub const MAX_CHANNELS: usize = 32;

/// Refuses a stream whose rate or channel count no audio file has.
fn check_bounds(i: &StreamInfo) -> Result<(), AudioError> {
    let (lo, hi) = RATE_BOUNDS;
    if !(lo..=hi).contains(&i.sample_rate) {
        return Err(AudioError::Corrupt(format!(
            "its header says {} Hz, outside what audio files use ({} Hz to {} kHz)",
            i.sample_rate,
            lo,
            hi / 1000
        )));
    }
    if i.channels > MAX_CHANNELS {
        return Err(AudioError::Corrupt(format!(
            "its header says {} channels (at most {MAX_CHANNELS} are accepted)",
            i.channels
        )));
    }
    Ok(())
}

/// [`decode_mono_with`] after its checks are in place.
fn decode_checked(
    path: &Path,
    options: &DecodeOptions,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    if let Some(format) = &options.raw_format {
        return raw::decode_raw_mono(path, format, on_info, sink);
    }
    let file = File::open(path).map_err(AudioError::Open)?;
    if file.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        return Err(AudioError::Empty);
    }
    if raw::is_raw_path(path) {
        return Err(AudioError::RawFormatNeeded);
    }
    // symphonia's demuxers can panic on damaged data (the fuzz test in
    // tests/it/fuzz.rs found MKV/WebM headers that do): such a file is
    // corrupt, not a reason to stop a season.
    // Only the decoder is covered: clipper's own callbacks run outside the
    // catch (see `ours`), so a bug in them is a bug, not a corrupt file.
    quiet_decoder_panics();
    let mut on_info = |i: &StreamInfo| ours(|| on_info(i));
    let mut sink = |b: &[f32]| ours(|| sink(b));
    IN_DECODER.with(|d| d.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        decode_container(path, file, &mut on_info, &mut sink)
    }));
    IN_DECODER.with(|d| d.set(false));
    match outcome {
        Ok(r) => r,
        Err(payload) => match payload.downcast::<OwnPanic>() {
            Ok(own) => std::panic::resume_unwind(own.0),
            Err(_) => Err(AudioError::Corrupt(
                "the decoder gave up on damaged data".into(),
            )),
        },
    }
}

/// A panic in clipper's own code that crossed the decoder on its way out.
struct OwnPanic(Box<dyn std::any::Any + Send>);

/// Runs clipper's own callback from inside the decoder: its panic is printed
/// as usual and carried past the decoder's catch, which re-raises it.
fn ours<R>(f: impl FnOnce() -> R) -> R {
    IN_DECODER.with(|d| d.set(false));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_DECODER.with(|d| d.set(true));
    r.unwrap_or_else(|payload| std::panic::resume_unwind(Box::new(OwnPanic(payload))))
}

thread_local! {
    /// True while this thread runs a container decoder.
    static IN_DECODER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps decoder panics (caught and reported as corrupt files) off the
/// terminal; every other panic still prints as before.
fn quiet_decoder_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_DECODER.with(|d| d.get()) {
                previous(info);
            }
        }));
    });
}

/// The stream length the container announces, in seconds, if it does.
fn announced_seconds(params: &CodecParameters) -> Option<f64> {
    let n = params.n_frames?;
    if let Some(tb) = params.time_base {
        let t = tb.calc_time(n);
        Some(t.seconds as f64 + t.frac)
    } else {
        params.sample_rate.map(|r| n as f64 / r as f64)
    }
}

/// The audio track of a probed container, ready to decode.
struct Track {
    /// The container's demuxer.
    format: Box<dyn FormatReader>,
    /// The decoder of the track's codec.
    decoder: Box<dyn Decoder>,
    /// The track's id; packets of other tracks are passed over.
    id: u32,
    /// The track's codec parameters as the container announces them.
    params: CodecParameters,
    /// The track's MP4 edit list (priming and padding to cut), if any.
    edit: Option<Mp4Edit>,
}

/// Probes the container of `file` (its extension as a hint), with gapless
/// decoding on.
fn probe(path: &Path, file: File) -> Result<Box<dyn FormatReader>, AudioError> {
    match probe_source(path, Box::new(file)) {
        // A damaged ID3 tag (a bad frame inside) must not cost the audio
        // after it: probe again from the end of the tag.
        Err(AudioError::Corrupt(msg)) if msg.contains("id3v2") => {
            let after = AfterTag::open(path).ok_or(AudioError::Corrupt(msg))?;
            probe_source(path, Box::new(after))
        }
        other => other,
    }
}

/// The file from the end of its leading ID3v2 tag on, as a media source.
struct AfterTag {
    file: File,
    start: u64,
    len: u64,
}

impl AfterTag {
    /// Opens `path` past its ID3v2 tag; None without one.
    fn open(path: &Path) -> Option<AfterTag> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = File::open(path).ok()?;
        let mut head = [0u8; 10];
        file.read_exact(&mut head).ok()?;
        if &head[..3] != b"ID3" {
            return None;
        }
        let size = head[6..10]
            .iter()
            .fold(0u64, |n, &b| (n << 7) | u64::from(b & 0x7f));
        let footer = if head[5] & 0x10 != 0 { 10 } else { 0 };
        let start = 10 + size + footer;
        let total = file.metadata().ok()?.len();
        file.seek(SeekFrom::Start(start)).ok()?;
        (start < total).then_some(AfterTag {
            file,
            start,
            len: total - start,
        })
    }
}

impl std::io::Read for AfterTag {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.file.read(buf)
    }
}

impl std::io::Seek for AfterTag {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        use std::io::SeekFrom;
        let pos = match pos {
            SeekFrom::Start(n) => SeekFrom::Start(self.start + n),
            other => other,
        };
        let at = self.file.seek(pos)?;
        at.checked_sub(self.start)
            .ok_or_else(|| std::io::Error::other("seek before the audio"))
    }
}

impl symphonia::core::io::MediaSource for AfterTag {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

/// Probes the container of `source` (the file, or the file after its tag).
fn probe_source(
    path: &Path,
    source: Box<dyn symphonia::core::io::MediaSource>,
) -> Result<Box<dyn FormatReader>, AudioError> {
    let mss = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions {
                enable_gapless: true,
                ..FormatOptions::default()
            },
            &MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::Unsupported(_) => AudioError::UnknownFormat,
            other => AudioError::Corrupt(other.to_string()),
        })?;
    Ok(probed.format)
}

/// Opens the file's first audio track and its decoder; the [`StreamInfo`]
/// holds what the container announces until the first block is decoded.
fn open_track(path: &Path, file: File) -> Result<(Track, StreamInfo), AudioError> {
    // symphonia 0.5 does not apply MP4 edit lists; read them here.
    let edits = trim::mp4_audio_edits(path);
    let format = probe(path, file)?;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or(AudioError::NoAudioTrack)?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let codec = codecs()
        .get_codec(params.codec)
        .map(|d| d.short_name.to_string())
        .unwrap_or_else(|| format!("codec {:?}", params.codec));
    let decoder = codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|_| AudioError::UnsupportedCodec(codec.clone()))?;

    let info = StreamInfo {
        sample_rate: params.sample_rate.unwrap_or(0),
        channels: params.channels.map_or(0, |c| c.count()),
        codec,
        ..StreamInfo::default()
    };
    let edit = edits
        .iter()
        .find(|e| e.track_index == track_id as usize)
        .or(edits.first())
        .copied();
    let track = Track {
        format,
        decoder,
        id: track_id,
        params,
        edit,
    };
    Ok((track, info))
}

/// Counts a packet that could not be decoded; gives up on the file when
/// more than 1000 fail before any succeeds.
fn count_bad_packet(info: &mut StreamInfo, good_packets: usize) -> Result<(), AudioError> {
    info.bad_packets += 1;
    if info.bad_packets > 1000 && good_packets == 0 {
        return Err(AudioError::Corrupt("no packet could be decoded".into()));
    }
    Ok(())
}

/// The container's next packet, damaged ones counted and passed over;
/// `None` at the end of the stream, or where an I/O error ends it early
/// (then `info` is marked truncated).
fn next_packet(
    format: &mut dyn FormatReader,
    info: &mut StreamInfo,
    good_packets: usize,
) -> Result<Option<Packet>, AudioError> {
    loop {
        match format.next_packet() {
            Ok(p) => return Ok(Some(p)),
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                return Ok(None)
            }
            Err(SymError::ResetRequired) => return Ok(None),
            Err(SymError::IoError(_)) => {
                info.truncated = true;
                return Ok(None);
            }
            Err(SymError::DecodeError(_)) => count_bad_packet(info, good_packets)?,
            Err(e) => {
                if good_packets == 0 {
                    return Err(AudioError::Corrupt(e.to_string()));
                }
                info.truncated = true;
                return Ok(None);
            }
        }
    }
}

/// Takes the true rate and channel count from the first decoded block,
/// tells `on_info`, and returns the trim of encoder priming and padding.
fn announce(
    edit: Option<Mp4Edit>,
    codec: CodecType,
    spec: &SignalSpec,
    info: &mut StreamInfo,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
) -> Result<Trim, AudioError> {
    info.sample_rate = spec.rate;
    info.channels = spec.channels.count();
    if info.sample_rate == 0 || info.channels == 0 {
        return Err(AudioError::Corrupt(
            "stream has no sample rate or channels".into(),
        ));
    }
    let trim = match edit {
        Some(edit) => edit.trim_at(info.sample_rate),
        // No container says how much priming there is: raw ADTS.
        None if codec == CODEC_TYPE_AAC => Trim::new(trim::AAC_DEFAULT_PRIMING, None),
        None => Trim::default(),
    };
    on_info(info)?;
    Ok(trim)
}

/// Mixes a decoded block down to mono into `mono`, through the reusable
/// `interleaved` buffer (made larger when a block needs it).
fn mix_down(
    decoded: AudioBufferRef<'_>,
    interleaved: &mut Option<SampleBuffer<f32>>,
    mono: &mut Vec<f32>,
) {
    let spec = *decoded.spec();
    let buf = match interleaved.as_mut() {
        Some(b) if b.capacity() >= decoded.capacity() * spec.channels.count() => b,
        _ => interleaved.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
    };
    buf.copy_interleaved_ref(decoded);
    let ch = spec.channels.count();
    mono.clear();
    mono.extend(
        buf.samples()
            .chunks_exact(ch)
            .map(|f| f.iter().sum::<f32>() / ch as f32),
    );
}

/// The packet loop: decodes the track's packets in order, mixes each block
/// down to mono, cuts priming and padding and hands the rest to `sink`.
/// Returns how many packets decoded and how many frames went to `sink`.
fn decode_packets(
    track: &mut Track,
    info: &mut StreamInfo,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<(usize, u64), AudioError> {
    let mut announced = false;
    let mut interleaved: Option<SampleBuffer<f32>> = None;
    let mut mono: Vec<f32> = Vec::new();
    let mut good_packets = 0usize;
    let mut frames_out = 0u64;
    let mut trim = Trim::default();
    while let Some(packet) = next_packet(track.format.as_mut(), info, good_packets)? {
        if packet.track_id() != track.id {
            continue;
        }
        let decoded = match track.decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymError::DecodeError(_)) | Err(SymError::IoError(_)) => {
                count_bad_packet(info, good_packets)?;
                continue;
            }
            Err(e) => return Err(AudioError::Corrupt(e.to_string())),
        };
        good_packets += 1;
        if !announced {
            trim = announce(
                track.edit,
                track.params.codec,
                decoded.spec(),
                info,
                on_info,
            )?;
            announced = true;
        }
        if decoded.frames() == 0 {
            continue;
        }
        mix_down(decoded, &mut interleaved, &mut mono);
        let kept = trim.apply(&mono);
        if !kept.is_empty() {
            frames_out += kept.len() as u64;
            sink(kept);
        }
    }
    Ok((good_packets, frames_out))
}

/// Decodes a container file: probes it, opens its audio track and runs the
/// packet loop, then checks the length against what the header announced.
fn decode_container(
    path: &Path,
    file: File,
    on_info: &mut dyn FnMut(&StreamInfo) -> Result<(), AudioError>,
    sink: &mut dyn FnMut(&[f32]),
) -> Result<StreamInfo, AudioError> {
    let (mut track, mut info) = open_track(path, file)?;
    let (good_packets, frames_out) = decode_packets(&mut track, &mut info, on_info, sink)?;
    if good_packets == 0 {
        return Err(AudioError::Corrupt(
            "the file has an audio header but no decodable audio".into(),
        ));
    }
    // A cut-off file often ends cleanly at a packet boundary; the length its
    // header announced tells it apart (with slack for inexact estimates).
    if let Some(expected) = announced_seconds(&track.params) {
        let got = frames_out as f64 / info.sample_rate as f64;
        if got + (0.02 * expected).max(0.25) < expected {
            info.truncated = true;
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_clippers_own_sink_is_not_taken_for_a_corrupt_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/jfk.mp3");
        let caught = std::panic::catch_unwind(|| {
            decode_mono(&path, &mut |_| Ok(()), &mut |_| panic!("a bug in a sink"))
        });
        let payload = caught.expect_err("the sink's panic goes on up");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"a bug in a sink"));
        // The decoder itself still works afterwards.
        let mut n = 0usize;
        decode_mono(&path, &mut |_| Ok(()), &mut |b| n += b.len()).unwrap();
        assert!(n > 100_000);
    }
}
