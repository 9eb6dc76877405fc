//! Audiogram videos: each clip's mastered MP3 rendered by FFmpeg (run as a
//! subprocess) into an MP4 per shape (H.264 yuv420p + AAC, `+faststart`):
//! the cover picture or the brand colour behind, an animated waveform,
//! captions burned in by libass from [`super::ass`], and a progress bar.
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

/// One clip to render.
pub struct Job {
    /// The clip id (file names).
    pub id: String,
    /// The mastered MP3, relative to the output folder.
    pub audio: String,
    /// Clip length, seconds.
    pub duration: f64,
    /// The clip's words in clip time.
    pub words: Vec<Word>,
}

/// Renders every job in every shape of `settings` into `dir` (the staging
/// folder), clips in parallel, each FFmpeg on one thread. Returns the files
/// made per job, or an error message per failure.
pub fn render_all(
    dir: &Path,
    jobs: &[Job],
    settings: &MediaConfig,
    show: &str,
    cover: Option<&Path>,
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
                        cover,
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
    cover: Option<&'a Path>,
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
        speaker: String::new(),
    };
    let name = format!("{}/{}.{shape}.mp4", super::CLIPS_DIR, job.id);
    let ass_path = ctx.dir.join(format!(".{}.{shape}.ass", job.id));
    let script = ass::script(&job.words, job.duration, &layout, &style);
    std::fs::write(&ass_path, script).map_err(|e| format!("{name}: {e}"))?;
    let tmp: PathBuf = ctx.dir.join(format!(".{}.{shape}.tmp.mp4", job.id));
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-nostdin", "-v", "error", "-y"]);
    let bg = background_input(&mut cmd, ctx, &layout);
    cmd.arg("-i").arg(ctx.dir.join(&job.audio));
    let graph = filter_graph(&layout, s, bg, job.duration, &ass_path, ctx.fonts);
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

/// Adds the background input (input 0): the cover picture looped, or a
/// plain colour. Returns whether it is a picture.
fn background_input(cmd: &mut Command, ctx: &Ctx, l: &Layout) -> bool {
    match ctx.cover {
        Some(p) => {
            cmd.args([
                "-loop",
                "1",
                "-framerate",
                &ctx.settings.fps.to_string(),
                "-i",
            ]);
            cmd.arg(p);
            true
        }
        None => {
            let c = parse_colour(&ctx.settings.background).unwrap_or([0, 0, 0]);
            cmd.args(["-f", "lavfi", "-i"]);
            cmd.arg(format!(
                "color=c=0x{:02x}{:02x}{:02x}:s={}x{}:r={}",
                c[0], c[1], c[2], l.width, l.height, ctx.settings.fps
            ));
            false
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

/// The filter graph: background, waveform, progress bar, captions.
fn filter_graph(
    l: &Layout,
    s: &MediaConfig,
    picture: bool,
    duration: f64,
    ass: &Path,
    fonts: &Path,
) -> String {
    let (w, h) = (l.width, l.height);
    let accent = parse_colour(&s.accent).unwrap_or([255, 255, 255]);
    let hex = format!("0x{:02x}{:02x}{:02x}", accent[0], accent[1], accent[2]);
    let bg = if picture {
        // blurred and darkened full-frame cover, the sharp cover above
        let side = (w - 2 * l.side).min(l.caption_top - l.safe_top - 160);
        format!(
            "[0:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},\
             boxblur=30:3,eq=brightness=-0.25,setsar=1[bgb];\
             [0:v]scale={side}:{side}:force_original_aspect_ratio=decrease,setsar=1[cov];\
             [bgb][cov]overlay=x=(W-w)/2:y={y}:shortest=1[bg];",
            y = l.safe_top + 110
        )
    } else {
        "[0:v]setsar=1[bg];".to_string()
    };
    let ww = w - 2 * l.side;
    format!(
        "{bg}[1:a]aformat=channel_layouts=mono,showwaves=s={ww}x{wh}:mode=cline:rate={fps}:\
         colors={hex}:scale=sqrt,format=rgba[wave];\
         color=c={hex}:s={w}x10:r={fps}[bar];\
         [bg][wave]overlay=x={side}:y={wt}:shortest=1[v1];\
         [v1][bar]overlay=x='-{w}+{w}*t/{d:.3}':y={bt}:shortest=1[v2];\
         [v2]ass=filename='{ass}':fontsdir='{fonts}'[v]",
        wh = l.wave_height,
        fps = s.fps,
        side = l.side,
        wt = l.wave_top,
        bt = l.bar_top,
        d = duration.max(0.1),
        ass = filter_path(ass),
        fonts = filter_path(fonts),
    )
}
