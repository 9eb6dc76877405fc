#!/usr/bin/env bash
# Clip-video render speed and output sizes on the demo episode, for the
# three backgrounds: the audiogram on the brand colour (samples/demo-episode.mp3
# as it is), the audiogram on an embedded cover (the same MP3 with a 1400x1400
# JPEG cover), and a video podcast (the same sound under a 1920x1080 25 fps
# H.264 picture: FFmpeg's test card with a running timecode). Each is run
# from the saved transcript (tests/fixtures/), once with CLIPPER_NO_VIDEO=1
# and once with videos; the difference is the render time. Prints seconds of
# video per second of wall time and every clip file's size.
#
#   ./scripts/bench_video.sh            # inputs are made once under target/bench-video/
#   ./scripts/bench_video.sh jobs [N]   # clips one at a time (all cores to FFmpeg)
#                                       # against side by side (one thread each),
#                                       # alternating, N rounds (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
command -v ffmpeg >/dev/null || apt_install ffmpeg
build_release

DIR="target/bench-video"
mkdir -p "$DIR"
FONT="assets/fonts/DejaVuSans-Bold.ttf"
cp samples/demo-episode.mp3 "$DIR/colour.mp3"
now() { date +%s.%N; }
if [ "${1:-}" = jobs ]; then
    # Same episode, same videos; only the scheduling differs (CLIPPER_VIDEO_JOBS).
    cores=$(nproc)
    for round in $(seq "${2:-2}"); do
        for jobs in 1 "$cores"; do
            load=$(cut -d' ' -f1-3 /proc/loadavg)
            a=$(now)
            env -u CLIPPER_NO_VIDEO CLIPPER_VIDEO_JOBS=$jobs target/release/clipper \
                "$DIR/colour.mp3" --force \
                --transcript tests/fixtures/demo-episode.transcript.json >/dev/null 2>&1
            b=$(now)
            echo "round $round: $jobs clip(s) at once: $(echo "$b - $a" | bc) s" \
                "(load average before: $load)"
        done
    done
    exit 0
fi
if [ ! -f "$DIR/cover.mp3" ]; then
    say "embedding a cover in the demo episode"
    ffmpeg -v error -y -i samples/demo-episode.mp3 -f lavfi -i "testsrc=s=1400x1400:d=1" \
        -frames:v 1 -map 0:a -map 1:v -c:a copy -c:v mjpeg -disposition:v attached_pic \
        -id3v2_version 3 "$DIR/cover.mp3"
fi
if [ ! -f "$DIR/video.mp4" ]; then
    say "making a 1080p video podcast of the demo episode (a few minutes)"
    ffmpeg -v error -y -f lavfi -i "testsrc=s=1920x1080:r=25" -i samples/demo-episode.mp3 \
        -filter_complex "[0:v]drawtext=fontfile=$FONT:text='%{pts\\:hms}':x=40:y=h-120:fontsize=72:fontcolor=white:box=1:boxcolor=black@0.6[v]" \
        -map "[v]" -map 1:a -c:v libx264 -preset veryfast -crf 23 -g 50 -pix_fmt yuv420p \
        -c:a aac -b:a 128k -shortest "$DIR/video.mp4"
fi

for ep in colour.mp3 cover.mp3 video.mp4; do
    say "$ep (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    a=$(now)
    CLIPPER_NO_VIDEO=1 target/release/clipper "$DIR/$ep" --force \
        --transcript tests/fixtures/demo-episode.transcript.json >/dev/null
    b=$(now)
    env -u CLIPPER_NO_VIDEO target/release/clipper "$DIR/$ep" --force \
        --transcript tests/fixtures/demo-episode.transcript.json >/dev/null
    c=$(now)
    python3 - "$DIR/${ep%.*}.clipper/highlights.json" "$a" "$b" "$c" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
a, b, c = map(float, sys.argv[2:5])
render = (c - b) - (b - a)
video = sum(f["duration"] for cl in h["clips"] for f in cl["files"] if f["kind"] == "video")
print(f"  {video:.1f} s of video rendered in {render:.1f} s: {video / render:.2f} s of video per second"
      f" (run without video {b - a:.1f} s, with {c - b:.1f} s)")
for cl in h["clips"]:
    for f in cl["files"]:
        d = f" {f['duration']:.1f} s" if f.get("duration") else ""
        print(f"  {f['path']:<44} {f['bytes'] / 1000:>8.0f} kB{d}")
PY
done
