#!/usr/bin/env python3
"""Builds samples/conversation/: a two-speaker "conversation" with known turns.

Speaker A is the LibriVox reader of samples/sonnet.wav, speaker B is
J. F. Kennedy in samples/jfk.wav (both public domain). Their lines alternate,
0.4 s of silence between turns, so every turn's start and end is known by
construction. Writes, for each name below:

  two-readers.wav         the conversation, 16 kHz mono 16-bit
  two-readers.rttm        the reference turns (speaker A, B)
  two-readers.host.wav    multi-track: A's own microphone (B leaks in at -30 dB)
  two-readers.guest.wav   multi-track: B's own microphone (A leaks in at -30 dB)

Only the standard library is used: python3 scripts/make_conversation.py
"""
import struct
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "conversation"
RATE = 16000
GAP = 0.4
LEAK = 10 ** (-30 / 20)

# (speaker, source, start s, end s): sonnet lines 2-9 and 10-11 by their
# published timings (samples/sonnet.csv), JFK's three phrases cut in his
# pauses (0-2.6, 2.6-7.85, 7.85-11.0 s).
TURNS = [
    ("A", "sonnet", 2.68, 8.64),
    ("B", "jfk", 0.0, 2.6),
    ("A", "sonnet", 8.64, 14.44),
    ("B", "jfk", 2.6, 7.85),
    ("A", "sonnet", 14.44, 22.72),
    ("B", "jfk", 7.85, 11.0),
    ("A", "sonnet", 22.72, 36.60),
]


def read(name):
    with wave.open(str(ROOT / "samples" / f"{name}.wav")) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        data = w.readframes(w.getnframes())
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def write(path, samples):
    clipped = [max(-32768, min(32767, int(round(s)))) for s in samples]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(clipped)}h", *clipped))


def main():
    sources = {"sonnet": read("sonnet"), "jfk": read("jfk")}
    tracks = {"A": [], "B": []}
    rttm = []
    for speaker, source, start, end in TURNS:
        piece = sources[source][int(start * RATE):int(end * RATE)]
        at = len(tracks["A"]) / RATE
        rttm.append(f"SPEAKER two-readers 1 {at:.3f} {len(piece) / RATE:.3f} <NA> <NA> {speaker} <NA> <NA>")
        for name, track in tracks.items():
            track.extend(piece if name == speaker else [0] * len(piece))
            track.extend([0] * int(GAP * RATE))
    OUT.mkdir(parents=True, exist_ok=True)
    a, b = tracks["A"], tracks["B"]
    write(OUT / "two-readers.wav", [x + y for x, y in zip(a, b)])
    write(OUT / "two-readers.host.wav", [x + LEAK * y for x, y in zip(a, b)])
    write(OUT / "two-readers.guest.wav", [y + LEAK * x for x, y in zip(a, b)])
    (OUT / "two-readers.rttm").write_text("\n".join(rttm) + "\n")


if __name__ == "__main__":
    main()
