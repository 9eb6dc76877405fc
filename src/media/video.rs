//! Clip videos, rendered by FFmpeg (run as a subprocess) into an MP4 per
//! shape (H.264 yuv420p + AAC, `+faststart`), with captions burned in by
//! libass from [`super::ass`] and a progress bar. The sound is always the
//! clip's mastered MP3. What is behind the captions depends on the episode:
//!
//! - an *audio* episode gets an audiogram: the cover picture (the client's
//!   `cover`, else the one embedded in the episode file) or the brand
//!   colour, and an animated waveform;
//! - a *video* episode (a picture track, see [`picture_track`]) gets its own
//!   picture, cut at the clip's times so that picture and sound stay in
//!   sync, and reframed: a picture near the output's shape fills the frame
//!   (scaled, centre-cropped); a wider one (a 16:9 studio shot in 9:16) is
//!   centre-cropped when what moves in the clip is in the middle, else
//!   shown whole, full width, above the captions on a blurred copy of
//!   itself, so nobody at the edge of a wide shot is cut away (chosen per
//!   clip, see [`super::reframe`]).
//!
//! The brand kit's logo, when there is one, sits in the top-right corner
//! inside the safe area, beside the show's name.
//!
//! Clips render side by side, as many at once as there are cores, each
//! FFmpeg on the cores left to it ([`schedule`]); each reports how far it
//! is through [`RenderProgress`] (FFmpeg's `-progress` lines), which the
//! terminal shows as a bar per clip.
//!
//! FFmpeg is the one encoder here that is both fast and everywhere
//! (Debian's package brings libx264 and libass); there is no maintained
//! pure-Rust H.264 encoder of comparable speed. When FFmpeg is missing the
//! rest of the run completes and one warning says how to add it.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::ass::{self, Layout, Style};
use super::reframe::{self, Framing};
use super::{MediaEntry, MediaKind, FONT};
pub use crate::audio::ffmpeg::{picture_track, Picture};
use crate::config::{parse_colour, MediaConfig};
use crate::transcript::Word;

/// Its family name, as libass looks it up.
const FONT_FAMILY: &str = "DejaVu Sans";

/// What to say when FFmpeg is missing.
pub const NO_FFMPEG: &str = "clip videos were not made: FFmpeg is not installed \
     (install it with `apt-get install ffmpeg`, or run ./scripts/setup.sh); \
     the audio, subtitles and drafts are complete";

/// True when an `ffmpeg` that runs is on the PATH.
pub fn ffmpeg_available() -> bool {
    Command::new("ffmpeg")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What the clip videos show behind their captions.
#[derive(Debug, Clone, Copy)]
pub enum Background<'a> {
    /// The brand colour (audiogram).
    Colour,
    /// A still picture, blurred full-frame with the sharp picture above
    /// (audiogram).
    Cover(&'a Path),
    /// The episode's own picture, cut at each clip's times.
    Episode(&'a Picture),
}

/// One clip to render.
pub struct Job {
    /// The clip id (file names).
    pub id: String,
    /// Where the clip starts in the episode, seconds (to cut the picture).
    pub start: f64,
    /// The mastered MP3, relative to the output folder.
    pub audio: String,
    /// Clip length, seconds.
    pub duration: f64,
    /// The clip's words in clip time.
    pub words: Vec<Word>,
    /// The name of who says the clip, drawn above the captions; empty when
    /// the speaker has no name (a bare `S2` is not shown).
    pub speaker: String,
}

/// What the renders report as they go; the terminal draws a bar per clip
/// (see `crate::progress`). Called from the render threads.
pub trait RenderProgress: Sync {
    /// Clip number `index` of the jobs (id `id`) starts: `seconds` of
    /// video to make, all its shapes together.
    fn begin(&self, _index: usize, _id: &str, _seconds: f64) {}
    /// Clip `index` has `seconds` of its video made.
    fn reached(&self, _index: usize, _seconds: f64) {}
    /// Clip `index` is finished (made or failed).
    fn end(&self, _index: usize) {}
}

/// A [`RenderProgress`] that shows nothing.
pub struct NoRenderProgress;
impl RenderProgress for NoRenderProgress {}

/// The brand kit's logo for the videos: the file FFmpeg reads and its
/// size in pixels (to fit it into the corner, see [`Layout::logo_box`]).
#[derive(Debug, Clone, Copy)]
pub struct Logo<'a> {
    /// The PNG or JPEG file.
    pub path: &'a Path,
    /// Width, px.
    pub width: u32,
    /// Height, px.
    pub height: u32,
}

impl Logo<'_> {
    /// Its size fitted into the logo box of `l`, even on both sides.
    fn size_in(&self, l: &Layout) -> (u32, u32) {
        let (bw, bh, _) = l.logo_box();
        let scale = (bw as f64 / self.width as f64).min(bh as f64 / self.height as f64);
        let side = |n: u32| ((n as f64 * scale / 2.0).round() as u32).max(1) * 2;
        (side(self.width), side(self.height))
    }
}

/// How many clips render at once and how many threads each FFmpeg gets,
/// for `clips` clips on `cores` cores: a clip per core (up to the
/// clips), the cores left over shared among them. `CLIPPER_VIDEO_JOBS`
/// in the environment sets the clips at once (`scripts/bench_video.sh
/// jobs` compares one at a time with all cores against side by side).
pub fn schedule(clips: usize, cores: usize) -> (usize, usize) {
    let cores = cores.max(1);
    let wanted = std::env::var("CLIPPER_VIDEO_JOBS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(cores);
    let jobs = wanted.min(clips).max(1);
    (jobs, (cores / jobs).max(1))
}

/// The brand of every video: settings, show name, background and logo.
pub struct Brand<'a> {
    /// `[media]` of the client.
    pub settings: &'a MediaConfig,
    /// The show's name, drawn at the top.
    pub show: &'a str,
    /// What is behind the captions.
    pub background: Background<'a>,
    /// The logo in the top-right corner, if any.
    pub logo: Option<Logo<'a>>,
}

/// Renders every job in every shape of the settings into `dir` (the
/// staging folder), clips side by side as [`schedule`] says, telling
/// `progress` how far each is. Returns the files made per job, or an error
/// message per failure.
pub fn render_all(
    dir: &Path,
    jobs: &[Job],
    brand: &Brand,
    progress: &dyn RenderProgress,
) -> Vec<Result<Vec<MediaEntry>, String>> {
    let settings = brand.settings;
    let fonts = dir.join(".fonts");
    let font_ok = std::fs::create_dir_all(&fonts)
        .and_then(|_| std::fs::write(fonts.join("DejaVuSans-Bold.ttf"), FONT));
    let mut family = FONT_FAMILY.to_string();
    let own = Path::new(&settings.font);
    if let Some(file) = own.file_name().filter(|_| !settings.font_family.is_empty()) {
        if std::fs::copy(own, fonts.join(file)).is_ok() {
            family = settings.font_family.clone();
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (at_once, threads) = schedule(jobs.len(), cores);
    let ctx = Ctx {
        dir,
        fonts: &fonts,
        family: &family,
        brand,
        threads,
    };
    let out = match font_ok {
        Err(e) => jobs
            .iter()
            .map(|_| Err(format!("cannot write the caption font: {e}")))
            .collect(),
        Ok(()) => side_by_side(jobs.len(), at_once, |i| {
            render_clip(&ctx, i, &jobs[i], progress)
        }),
    };
    let _ = std::fs::remove_dir_all(&fonts);
    out
}

/// Runs `work(0..n)` on `at_once` threads, each taking the next index as
/// it is free; the results in index order.
fn side_by_side<T: Send>(n: usize, at_once: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..at_once.clamp(1, n.max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n {
                    break;
                }
                let r = work(i);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results
        .into_iter()
        .map(|r| r.expect("every index is done"))
        .collect()
}

/// Every shape of one clip, reported to `progress` as clip `index`.
fn render_clip(
    ctx: &Ctx,
    index: usize,
    job: &Job,
    progress: &dyn RenderProgress,
) -> Result<Vec<MediaEntry>, String> {
    let shapes = &ctx.brand.settings.formats;
    progress.begin(index, &job.id, job.duration * shapes.len() as f64);
    // where the picture moves, when some shape must choose how to frame it
    let profile = match ctx.brand.background {
        Background::Episode(p)
            if shapes
                .iter()
                .any(|s| kept_width(&Layout::for_shape(s), p).is_some()) =>
        {
            reframe::activity(&p.path, job.start, job.duration)
        }
        _ => None,
    };
    let mut files = Vec::new();
    for (k, shape) in shapes.iter().enumerate() {
        let before = k as f64 * job.duration;
        let reached = |t| progress.reached(index, before + t);
        let made = render(ctx, job, (shape, profile.as_deref()), &reached);
        match made {
            Ok(f) => files.push(f),
            Err(e) => {
                progress.end(index);
                return Err(e);
            }
        }
    }
    progress.end(index);
    Ok(files)
}

struct Ctx<'a> {
    dir: &'a Path,
    fonts: &'a Path,
    family: &'a str,
    brand: &'a Brand<'a>,
    /// FFmpeg threads for one render.
    threads: usize,
}

/// Renders one clip in one shape; `reached` hears how many seconds of it
/// are made.
fn render(
    ctx: &Ctx,
    job: &Job,
    (shape, profile): (&str, Option<&[f64]>),
    reached: &dyn Fn(f64),
) -> Result<MediaEntry, String> {
    let layout = Layout::for_shape(shape);
    let s = ctx.brand.settings;
    let rgb = |c: &str| parse_colour(c).unwrap_or([255, 255, 255]);
    let logo = ctx.brand.logo.map(|l| (l, l.size_in(&layout)));
    let style = Style {
        font: ctx.family.to_string(),
        text: rgb(&s.text),
        accent: rgb(&s.accent),
        show: ctx.brand.show.to_string(),
        speaker: job.speaker.clone(),
        logo_room: logo.map_or(0, |(_, (w, _))| w + 20),
    };
    let name = format!("{}/{}.{shape}.mp4", super::CLIPS_DIR, job.id);
    let ass_path = ctx.dir.join(format!(".{}.{shape}.ass", job.id));
    let script = ass::script(&job.words, job.duration, &layout, &style);
    std::fs::write(&ass_path, script).map_err(|e| format!("{name}: {e}"))?;
    let tmp: PathBuf = ctx.dir.join(format!(".{}.{shape}.tmp.mp4", job.id));
    let mut cmd = Command::new("ffmpeg");
    cmd.args([
        "-nostdin",
        "-v",
        "error",
        "-nostats",
        "-progress",
        "pipe:1",
        "-y",
    ]);
    background_input(&mut cmd, ctx, job, &layout);
    cmd.arg("-i").arg(ctx.dir.join(&job.audio));
    if let Some((l, _)) = logo {
        cmd.arg("-i").arg(l.path);
    }
    let logo_size = logo.map(|(_, size)| size);
    let framing = match ctx.brand.background {
        Background::Episode(p) => framing(&layout, p, profile),
        _ => Framing::Crop,
    };
    let graph = filter_graph(
        &layout,
        s,
        ctx.brand.background,
        (job.duration, framing),
        logo_size,
    ) + &captions(&ass_path, ctx.fonts);
    let threads = ctx.threads.to_string();
    cmd.args(["-filter_complex", &graph, "-map", "[v]", "-map", "1:a"]);
    cmd.args(["-c:v", "libx264", "-preset", X264_PRESET, "-crf", X264_CRF]);
    cmd.args(["-pix_fmt", "yuv420p", "-r", &s.fps.to_string()]);
    cmd.args(["-c:a", "aac", "-b:a", "128k", "-ar", "44100"]);
    cmd.args(["-t", &format!("{:.3}", job.duration)]);
    cmd.args(["-threads", &threads, "-filter_threads", &threads]);
    cmd.args(["-movflags", "+faststart", "-f", "mp4"]);
    cmd.arg(&tmp);
    let out = run_ffmpeg(cmd, reached).map_err(|e| format!("{name}: {e}"));
    let _ = std::fs::remove_file(&ass_path);
    if let Err(e) = out {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let target = ctx.dir.join(&name);
    std::fs::rename(&tmp, &target).map_err(|e| format!("{name}: {e}"))?;
    let bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    Ok(MediaEntry {
        path: name,
        kind: MediaKind::Video,
        bytes,
        duration: Some(job.duration),
    })
}

/// x264's speed preset for the clip videos. Encoding is most of a whole
/// job's CPU time once an episode has clips (a 51 s audiogram: 30 s of CPU
/// at `veryfast`, of which 3 s are the filters). `superfast` at CRF 27
/// took 0.61× that CPU at a structural similarity to a lossless render at
/// least as high as `veryfast` at CRF 23 (0.99890 against 0.99870), for
/// 1.3× the bytes (README, "Clip media").
const X264_PRESET: &str = "superfast";
/// x264's constant-rate factor that goes with [`X264_PRESET`].
const X264_CRF: &str = "27";

/// Runs FFmpeg (with `-progress pipe:1`), passing each `out_time_us` it
/// reports to `reached` in seconds; the error carries what it said on
/// stderr.
fn run_ffmpeg(mut cmd: Command, reached: &dyn Fn(f64)) -> Result<(), String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("FFmpeg: {e}"))?;
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let said = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(us) = line.strip_prefix("out_time_us=") {
                if let Ok(us) = us.trim().parse::<i64>() {
                    reached(us.max(0) as f64 / 1e6);
                }
            }
        }
    }
    let status = child.wait().map_err(|e| format!("FFmpeg: {e}"))?;
    let said = said.join().unwrap_or_default();
    if status.success() {
        Ok(())
    } else {
        Err(format!("FFmpeg failed: {}", said.trim()))
    }
}

/// Adds the background input (input 0): the episode's picture from the
/// clip's start, the cover picture looped, or a plain colour.
fn background_input(cmd: &mut Command, ctx: &Ctx, job: &Job, l: &Layout) {
    let fps = ctx.brand.settings.fps.to_string();
    match ctx.brand.background {
        Background::Episode(p) => {
            // input seeking decodes from the key frame before and drops the
            // frames before `start`: the first frame kept is the one shown
            // at `start`, at time 0, as the first sample of the clip audio
            cmd.args(["-ss", &format!("{:.3}", job.start)]);
            cmd.args(["-t", &format!("{:.3}", job.duration + 1.0), "-i"]);
            cmd.arg(&p.path);
        }
        Background::Cover(p) => {
            // read once: the graph composes it once and repeats the frame
            // (`cover_graph`)
            cmd.args(["-framerate", &fps, "-i"]);
            cmd.arg(p);
        }
        Background::Colour => {
            let c = parse_colour(&ctx.brand.settings.background).unwrap_or([0, 0, 0]);
            cmd.args(["-f", "lavfi", "-i"]);
            cmd.arg(format!(
                "color=c=0x{:02x}{:02x}{:02x}:s={}x{}:r={fps}",
                c[0], c[1], c[2], l.width, l.height
            ));
        }
    }
}

/// An FFmpeg filter-graph path: `:` `\` `'` and `,` escaped.
fn filter_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let mut out = String::new();
    for ch in s.chars() {
        if matches!(ch, ':' | '\\' | '\'' | ',' | '[' | ']' | ';') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The filter graph up to `[v3]`: background (with a waveform for
/// audiograms), progress bar, and the logo (input 2, scaled to
/// `logo`) in the top-right corner; [`captions`] finishes it. The
/// waveform is drawn in yuva420p, the output's own pixel format, so the
/// overlay does not convert every 1080×1920 frame to RGBA and back (about
/// a tenth of the render's CPU time).
fn filter_graph(
    l: &Layout,
    s: &MediaConfig,
    background: Background,
    (duration, framing): (f64, Framing),
    logo: Option<(u32, u32)>,
) -> String {
    let w = l.width;
    let accent = parse_colour(&s.accent).unwrap_or([255, 255, 255]);
    let hex = format!("0x{:02x}{:02x}{:02x}", accent[0], accent[1], accent[2]);
    let bg = match background {
        Background::Colour => "[0:v]setsar=1[bg0];".to_string(),
        Background::Cover(_) => cover_graph(l, s.fps),
        Background::Episode(_) => picture_graph(l, framing),
    };
    let wave = match background {
        Background::Episode(_) => "[bg0]null[v1];".to_string(),
        _ => format!(
            "[1:a]aformat=channel_layouts=mono,showwaves=s={ww}x{wh}:mode=cline:rate={fps}:\
             colors={hex}:scale=sqrt,format=yuva420p[wave];\
             [bg0][wave]overlay=x={side}:y={wt}:shortest=1[v1];",
            ww = w - 2 * l.side,
            wh = l.wave_height,
            fps = s.fps,
            side = l.side,
            wt = l.wave_top,
        ),
    };
    let bar = format!(
        "color=c={hex}:s={w}x10:r={fps}[bar];\
         [v1][bar]overlay=x='-{w}+{w}*t/{d:.3}':y={bt}:shortest=1[v2];",
        fps = s.fps,
        bt = l.bar_top,
        d = duration.max(0.1),
    );
    let logo = match logo {
        None => "[v2]null[v3];".to_string(),
        Some((lw, lh)) => {
            let (_, bh, top) = l.logo_box();
            format!(
                "[2:v]scale={lw}:{lh},format=yuva420p[logo];\
                 [v2][logo]overlay=x={x}:y={y}[v3];",
                x = w - l.side - lw,
                y = top + (bh - lh) / 2,
            )
        }
    };
    format!("{bg}{wave}{bar}{logo}")
}

/// The end of the filter graph: captions burned into `[v3]` by libass, as
/// `[v]`.
fn captions(ass: &Path, fonts: &Path) -> String {
    format!(
        "[v3]ass=filename='{ass}':fontsdir='{fonts}'[v]",
        ass = filter_path(ass),
        fonts = filter_path(fonts),
    )
}

/// A still cover: blurred and darkened full-frame, the sharp cover above.
/// The cover is read once and this background composed once, then
/// repeated ([`still`]): decoded, blurred, scaled and overlaid again for
/// every frame, as a looped input made it, the cover took a 3-clip render
/// of the demo episode from 22.9 s to 39.6 s (README, "Clip media").
fn cover_graph(l: &Layout, fps: u32) -> String {
    let side = (l.width - 2 * l.side).min(l.caption_top - l.safe_top - 160);
    format!(
        "{blur}[0:v]scale={side}:{side}:force_original_aspect_ratio=decrease,setsar=1[cov];\
         [bgb][cov]overlay=x=(W-w)/2:y={y},{still}[bg0];",
        blur = blurred(l),
        y = l.safe_top + 110,
        still = still(fps),
    )
}

/// Filters that turn one still frame into an endless stream of it at
/// `fps` (in the output's pixel format): a background that does not
/// change is made once, not once a frame. The overlays after it end the
/// stream with the clip's sound (`shortest`).
fn still(fps: u32) -> String {
    format!("format=yuv420p,loop=loop=-1:size=1:start=0,setpts=N/({fps}*TB)")
}

/// Input 0 filling the frame, blurred and darkened, as `[bgb]`: blurred
/// at an eighth of the size and scaled up, which looks the same as a
/// full-size blur at a fraction of its cost.
fn blurred(l: &Layout) -> String {
    let (w, h) = (l.width, l.height);
    let (sw, sh) = (even(w / 8), even(h / 8));
    format!(
        "[0:v]scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},\
         boxblur=8:2,eq=brightness=-0.25,scale={w}:{h},setsar=1[bgb];"
    )
}

/// How far the episode's picture and the frame may differ in shape and
/// still fill the frame by a centre crop whatever the picture shows
/// (losing at most a fifth of the picture's width or height).
const FILL_RATIO: f64 = 1.25;

/// The fraction of the picture's width a centre crop into `l` keeps, when
/// the picture is wider than [`FILL_RATIO`] allows (then the framing is
/// chosen by where it moves); `None` when it is not that wide.
fn kept_width(l: &Layout, p: &Picture) -> Option<f64> {
    let ratio = (p.width as f64 / p.height as f64) / (l.width as f64 / l.height as f64);
    (ratio > FILL_RATIO).then(|| 1.0 / ratio)
}

/// How the episode's picture goes into `l` (see the module header): near
/// the frame's shape it is cropped, taller than that it is shown whole; a
/// wider one is cropped when the clip's activity `profile`
/// ([`reframe::activity`]) is in the middle ([`reframe::choose`]), else
/// shown whole (also when it could not be measured).
fn framing(l: &Layout, p: &Picture, profile: Option<&[f64]>) -> Framing {
    let ratio = (p.width as f64 / p.height as f64) / (l.width as f64 / l.height as f64);
    if ratio.max(1.0 / ratio) <= FILL_RATIO {
        return Framing::Crop;
    }
    match (kept_width(l, p), profile) {
        (Some(keep), Some(profile)) => reframe::choose(profile, keep),
        _ => Framing::Whole,
    }
}

/// The episode's own picture in `l` as `framing` says: filled and
/// centre-cropped, or whole, in the band between the show's name and the
/// captions, on a blurred and darkened copy (blurred small, then scaled
/// up: cheap).
fn picture_graph(l: &Layout, framing: Framing) -> String {
    let (w, h) = (l.width, l.height);
    if framing == Framing::Crop {
        return format!(
            "[0:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1[bg0];"
        );
    }
    let top = l.safe_top + 110;
    let band = l.caption_top.saturating_sub(top + 20).max(2);
    format!(
        "{blur}[0:v]scale={w}:{band}:force_original_aspect_ratio=decrease:force_divisible_by=2,\
         setsar=1[pic];\
         [bgb][pic]overlay=x=(W-w)/2:y={top}+({band}-h)/2[bg0];",
        blur = blurred(l)
    )
}

/// `n` rounded up to an even number (chroma subsampling wants it).
fn even(n: u32) -> u32 {
    n + n % 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, height: u32) -> Picture {
        Picture {
            path: PathBuf::from("ep.mp4"),
            width,
            height,
        }
    }

    #[test]
    fn a_wide_shot_is_framed_by_where_it_moves_and_a_near_one_fills_the_frame() {
        let tall = Layout::for_shape("9x16");
        let wide = picture(1920, 1080);
        // unmeasured: the whole picture, full width, under the show's name
        assert_eq!(framing(&tall, &wide, None), Framing::Whole);
        let whole = picture_graph(&tall, Framing::Whole);
        assert!(
            whole.contains("scale=1080:700:force_original_aspect_ratio=decrease"),
            "{whole}"
        );
        assert!(
            whole.contains("boxblur") && whole.contains("y=360+"),
            "{whole}"
        );
        // activity in the middle third: cropped; at both sides: whole
        let mut middle = vec![0.0; 64];
        middle[30..34].fill(5.0);
        assert_eq!(framing(&tall, &wide, Some(&middle)), Framing::Crop);
        let mut sides = vec![0.0; 64];
        sides[4..10].fill(5.0);
        sides[54..60].fill(5.0);
        assert_eq!(framing(&tall, &wide, Some(&sides)), Framing::Whole);
        let crop = picture_graph(&tall, Framing::Crop);
        assert!(crop.contains("crop=1080:1920") && !crop.contains("boxblur"));
        // near the frame's shape: filled, measured or not
        assert_eq!(framing(&tall, &picture(720, 1280), None), Framing::Crop);
        // 4:5 in a square frame loses a fifth at most: filled
        let square = Layout::for_shape("1x1");
        assert_eq!(framing(&square, &picture(1080, 1350), None), Framing::Crop);
        let land = Layout::for_shape("16x9");
        assert_eq!(framing(&land, &picture(1280, 720), None), Framing::Crop);
        // a portrait picture in a landscape frame: whole
        assert_eq!(
            framing(&land, &picture(720, 1280), Some(&middle)),
            Framing::Whole
        );
    }

    #[test]
    fn an_episode_picture_gets_no_waveform_and_an_audiogram_does() {
        let l = Layout::for_shape("9x16");
        let s = MediaConfig::default();
        let p = picture(1920, 1080);
        let video = filter_graph(
            &l,
            &s,
            Background::Episode(&p),
            (20.0, Framing::Whole),
            None,
        );
        assert!(!video.contains("showwaves"), "{video}");
        let audiogram = filter_graph(&l, &s, Background::Colour, (20.0, Framing::Crop), None);
        assert!(audiogram.contains("showwaves"), "{audiogram}");
        let ends = captions(Path::new("a.ass"), Path::new("fonts"));
        assert!(audiogram.ends_with("[v3];") && ends.starts_with("[v3]ass=filename"));
    }

    #[test]
    fn the_logo_is_fitted_into_the_top_right_corner_inside_the_safe_area() {
        for shape in ["9x16", "1x1", "16x9"] {
            let l = Layout::for_shape(shape);
            let wide = Logo {
                path: Path::new("logo.png"),
                width: 1000,
                height: 200,
            };
            let (lw, lh) = wide.size_in(&l);
            let (bw, bh, top) = l.logo_box();
            assert!(
                lw <= bw && lh <= bh && lw % 2 == 0 && lh % 2 == 0,
                "{lw}x{lh}"
            );
            assert!(top >= l.safe_top && top + bh <= l.safe_top + 110, "{shape}");
            let g = filter_graph(
                &l,
                &MediaConfig::default(),
                Background::Colour,
                (9.0, Framing::Crop),
                Some((lw, lh)),
            );
            let x = l.width - l.side - lw;
            assert!(g.contains(&format!("[2:v]scale={lw}:{lh},")), "{g}");
            assert!(g.contains(&format!("overlay=x={x}:y=")), "{g}");
        }
    }

    #[test]
    fn clips_render_one_per_core_and_share_what_is_left() {
        if std::env::var_os("CLIPPER_VIDEO_JOBS").is_some() {
            return;
        }
        assert_eq!(schedule(3, 2), (2, 1));
        assert_eq!(schedule(1, 2), (1, 2));
        assert_eq!(schedule(2, 8), (2, 4));
        assert_eq!(schedule(0, 1), (1, 1));
        let order = side_by_side(5, 2, |i| i * 10);
        assert_eq!(order, [0, 10, 20, 30, 40]);
    }
}
