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
//!   shown whole, full width, above the captions on a blurred copy of
//!   itself, so nobody at the edge of a wide shot is cut away.
//!
//! FFmpeg is the one encoder here that is both fast and everywhere
//! (Debian's package brings libx264 and libass); there is no maintained
//! pure-Rust H.264 encoder of comparable speed. When FFmpeg is missing the
//! rest of the run completes and one warning says how to add it.

use std::path::{Path, PathBuf};
use std::process::Command;

use rayon::prelude::*;

use super::ass::{self, Layout, Style};
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

/// Renders every job in every shape of `settings` into `dir` (the staging
/// folder), clips in parallel, each FFmpeg on one thread. Returns the files
/// made per job, or an error message per failure.
pub fn render_all(
    dir: &Path,
    jobs: &[Job],
    settings: &MediaConfig,
    show: &str,
    background: Background,
) -> Vec<Result<Vec<MediaEntry>, String>> {
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
    let out = match font_ok {
        Err(e) => jobs
            .iter()
            .map(|_| Err(format!("cannot write the caption font: {e}")))
            .collect(),
        Ok(()) => jobs
            .par_iter()
            .map(|job| {
                let mut files = Vec::new();
                for shape in &settings.formats {
                    let ctx = Ctx {
                        dir,
                        fonts: &fonts,
                        family: &family,
                        settings,
                        show,
                        background,
                    };
                    files.push(render(&ctx, job, shape)?);
                }
                Ok(files)
            })
            .collect(),
    };
    let _ = std::fs::remove_dir_all(&fonts);
    out
}

struct Ctx<'a> {
    dir: &'a Path,
    fonts: &'a Path,
    family: &'a str,
    settings: &'a MediaConfig,
    show: &'a str,
    background: Background<'a>,
}

/// Renders one clip in one shape.
fn render(ctx: &Ctx, job: &Job, shape: &str) -> Result<MediaEntry, String> {
    let layout = Layout::for_shape(shape);
    let s = ctx.settings;
    let rgb = |c: &str| parse_colour(c).unwrap_or([255, 255, 255]);
    let style = Style {
        font: ctx.family.to_string(),
        text: rgb(&s.text),
        accent: rgb(&s.accent),
        show: ctx.show.to_string(),
        speaker: job.speaker.clone(),
    };
    let name = format!("{}/{}.{shape}.mp4", super::CLIPS_DIR, job.id);
    let ass_path = ctx.dir.join(format!(".{}.{shape}.ass", job.id));
    let script = ass::script(&job.words, job.duration, &layout, &style);
    std::fs::write(&ass_path, script).map_err(|e| format!("{name}: {e}"))?;
    let tmp: PathBuf = ctx.dir.join(format!(".{}.{shape}.tmp.mp4", job.id));
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error", "-y"]);
    background_input(&mut cmd, ctx, job, &layout);
    cmd.arg("-i").arg(ctx.dir.join(&job.audio));
    let graph = filter_graph(
        &layout,
        s,
        ctx.background,
        job.duration,
        &ass_path,
        ctx.fonts,
    );
    cmd.args(["-filter_complex", &graph, "-map", "[v]", "-map", "1:a"]);
    cmd.args(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]);
    cmd.args(["-pix_fmt", "yuv420p", "-r", &s.fps.to_string()]);
    cmd.args(["-c:a", "aac", "-b:a", "128k", "-ar", "44100"]);
    cmd.args(["-t", &format!("{:.3}", job.duration)]);
    cmd.args(["-threads", "1", "-filter_threads", "1"]);
    cmd.args(["-movflags", "+faststart", "-f", "mp4"]);
    cmd.arg(&tmp);
    let out = cmd.output().map_err(|e| format!("{name}: FFmpeg: {e}"));
    let _ = std::fs::remove_file(&ass_path);
    let out = out?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&tmp);
        let msg = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{name}: FFmpeg failed: {}", msg.trim()));
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

/// Adds the background input (input 0): the episode's picture from the
/// clip's start, the cover picture looped, or a plain colour.
fn background_input(cmd: &mut Command, ctx: &Ctx, job: &Job, l: &Layout) {
    let fps = ctx.settings.fps.to_string();
    match ctx.background {
        Background::Episode(p) => {
            // input seeking decodes from the key frame before and drops the
            // frames before `start`: the first frame kept is the one shown
            // at `start`, at time 0, as the first sample of the clip audio
            cmd.args(["-ss", &format!("{:.3}", job.start)]);
            cmd.args(["-t", &format!("{:.3}", job.duration + 1.0), "-i"]);
            cmd.arg(&p.path);
        }
        Background::Cover(p) => {
            cmd.args(["-loop", "1", "-framerate", &fps, "-i"]);
            cmd.arg(p);
        }
        Background::Colour => {
            let c = parse_colour(&ctx.settings.background).unwrap_or([0, 0, 0]);
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

/// The filter graph: background (with a waveform for audiograms),
/// progress bar, captions. The waveform is drawn in yuva420p, the output's
/// own pixel format, so the overlay does not convert every 1080×1920 frame
/// to RGBA and back (about a tenth of the render's CPU time).
fn filter_graph(
    l: &Layout,
    s: &MediaConfig,
    background: Background,
    duration: f64,
    ass: &Path,
    fonts: &Path,
) -> String {
    let w = l.width;
    let accent = parse_colour(&s.accent).unwrap_or([255, 255, 255]);
    let hex = format!("0x{:02x}{:02x}{:02x}", accent[0], accent[1], accent[2]);
    let bg = match background {
        Background::Colour => "[0:v]setsar=1[bg0];".to_string(),
        Background::Cover(_) => cover_graph(l),
        Background::Episode(p) => picture_graph(l, p),
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
    format!(
        "{bg}{wave}color=c={hex}:s={w}x10:r={fps}[bar];\
         [v1][bar]overlay=x='-{w}+{w}*t/{d:.3}':y={bt}:shortest=1[v2];\
         [v2]ass=filename='{ass}':fontsdir='{fonts}'[v]",
        fps = s.fps,
        bt = l.bar_top,
        d = duration.max(0.1),
        ass = filter_path(ass),
        fonts = filter_path(fonts),
    )
}

/// A still cover: blurred and darkened full-frame, the sharp cover above.
fn cover_graph(l: &Layout) -> String {
    let side = (l.width - 2 * l.side).min(l.caption_top - l.safe_top - 160);
    format!(
        "{blur}[0:v]scale={side}:{side}:force_original_aspect_ratio=decrease,setsar=1[cov];\
         [bgb][cov]overlay=x=(W-w)/2:y={y}:shortest=1[bg0];",
        blur = blurred(l),
        y = l.safe_top + 110
    )
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
/// still fill the frame by a centre crop (losing at most a fifth of the
/// picture's width or height).
const FILL_RATIO: f64 = 1.25;

/// The episode's own picture, reframed for the shape `l` (see the module
/// header): filled and centre-cropped when its shape is near the frame's,
/// else whole, in the band between the show's name and the captions, on a
/// blurred and darkened copy (blurred small, then scaled up: cheap).
fn picture_graph(l: &Layout, p: &Picture) -> String {
    let (w, h) = (l.width, l.height);
    let ratio = (p.width as f64 / p.height as f64) / (w as f64 / h as f64);
    if ratio.max(1.0 / ratio) <= FILL_RATIO {
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
    fn a_wide_shot_is_shown_whole_above_the_captions_and_a_tall_one_fills_the_frame() {
        let tall = Layout::for_shape("9x16");
        let wide = picture_graph(&tall, &picture(1920, 1080));
        // the whole picture, full width, in the band under the show's name
        assert!(
            wide.contains("scale=1080:700:force_original_aspect_ratio=decrease"),
            "{wide}"
        );
        assert!(
            wide.contains("boxblur") && wide.contains("y=360+"),
            "{wide}"
        );
        let portrait = picture_graph(&tall, &picture(720, 1280));
        assert!(portrait.contains("crop=1080:1920") && !portrait.contains("boxblur"));
        // 4:5 in a square frame loses a fifth at most: filled
        let square = Layout::for_shape("1x1");
        assert!(!picture_graph(&square, &picture(1080, 1350)).contains("boxblur"));
        assert!(
            picture_graph(&Layout::for_shape("16x9"), &picture(1280, 720))
                .contains("crop=1920:1080")
        );
    }

    #[test]
    fn an_episode_picture_gets_no_waveform_and_an_audiogram_does() {
        let l = Layout::for_shape("9x16");
        let s = MediaConfig::default();
        let (ass, fonts) = (Path::new("a.ass"), Path::new("fonts"));
        let p = picture(1920, 1080);
        let video = filter_graph(&l, &s, Background::Episode(&p), 20.0, ass, fonts);
        assert!(
            !video.contains("showwaves") && video.contains("ass=filename"),
            "{video}"
        );
        let audiogram = filter_graph(&l, &s, Background::Colour, 20.0, ass, fonts);
        assert!(audiogram.contains("showwaves"), "{audiogram}");
    }
}
