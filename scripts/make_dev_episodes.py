"""Builds clipper's labelled dev episodes for the highlight scorer.

Each episode is assembled from sections of known kind: spoken lines made with
espeak-ng (the host, the guest, a bank's phone menu, a sponsor read, intro
and outro) and real recordings from samples/ (JFK, the LibriVox sonnet, the
AMI meeting). Because the sections are known, so are the labels: where the
filler is (intro, ads, phone menus, outro), where one topic ends and the
next begins, and which spans are the moments a social editor would pick.

Writes, for each episode NAME, samples/dev/NAME.mp3 (44.1 kHz stereo, as
podcasts are published) and samples/dev/NAME.labels.json. The files are
committed; this script is how they were made (needs espeak-ng, sox and
ffmpeg: apt-get install espeak-ng sox ffmpeg). Run from the repository root:
python3 scripts/make_dev_episodes.py
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "dev"
RATE = 22050

HOST = "en-us+m3"
GUEST = "en-gb+f3"
MENU = "en-us+f2"
ADS = "en-us+m1"

SAME_SPEAKER_GAP = 0.45
TURN_GAP = 0.8
SECTION_GAP = 1.6


def run(*args: str) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Episode:
    """Pieces of mono 16-bit audio at RATE, with the labels as they grow."""

    def __init__(self, name: str, tmp: Path) -> None:
        self.name = name
        self.tmp = tmp
        self.frames = bytearray()
        self.labels: dict = {"episode": f"{name}.mp3", "filler": [], "boundaries": [], "good": []}
        self.n = 0
        self.speed = 165

    @property
    def t(self) -> float:
        return len(self.frames) / 2 / RATE

    def silence(self, seconds: float) -> None:
        self.frames += b"\x00\x00" * int(seconds * RATE)

    def wav(self, path: Path) -> None:
        """Appends a WAV file, converted to RATE mono 16-bit."""
        self.n += 1
        conv = self.tmp / f"c{self.n}.wav"
        run("sox", str(path), "-r", str(RATE), "-c", "1", "-b", "16", str(conv))
        with wave.open(str(conv)) as w:
            self.frames += w.readframes(w.getnframes())

    def say(self, voice: str, *lines: str) -> None:
        """Speaks each line, with a short pause after each."""
        for line in lines:
            self.n += 1
            raw = self.tmp / f"s{self.n}.wav"
            run("espeak-ng", "-v", voice, "-s", str(self.speed), "-w", str(raw), line)
            self.wav(raw)
            self.silence(SAME_SPEAKER_GAP)

    def turn(self) -> None:
        self.silence(TURN_GAP - SAME_SPEAKER_GAP)

    def section(self, kind: str | None = None, label: str | None = None) -> "Section":
        return Section(self, kind, label)

    def write(self) -> None:
        OUT.mkdir(parents=True, exist_ok=True)
        wav = self.tmp / f"{self.name}.wav"
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(bytes(self.frames))
        mp3 = OUT / f"{self.name}.mp3"
        run("ffmpeg", "-y", "-i", str(wav), "-ar", "44100", "-ac", "2", "-b:a", "64k", str(mp3))
        self.labels["duration"] = round(self.t, 3)
        (OUT / f"{self.name}.labels.json").write_text(json.dumps(self.labels, indent=1) + "\n")


class Section:
    """A stretch of one kind: filler (with its kind) or a topic; `good`
    marks the moment inside it a social editor would pick."""

    def __init__(self, ep: Episode, kind: str | None, label: str | None) -> None:
        self.ep, self.kind, self.label = ep, kind, label

    def __enter__(self) -> "Section":
        ep = self.ep
        if ep.t > 0:
            ep.silence(SECTION_GAP - SAME_SPEAKER_GAP)
            ep.labels["boundaries"].append(round(ep.t - SECTION_GAP / 2, 3))
        self.start = ep.t
        return self

    def good_from_here(self) -> None:
        self.good_start = self.ep.t

    def __exit__(self, *exc) -> None:
        end = round(self.ep.t - SAME_SPEAKER_GAP, 3)
        if self.kind:
            self.ep.labels["filler"].append({"start": round(self.start, 3), "end": end, "kind": self.kind})
        if self.label:
            start = getattr(self, "good_start", self.start)
            self.ep.labels["good"].append({"start": round(start, 3), "end": end, "label": self.label})


def interview(tmp: Path) -> None:
    ep = Episode("dev-interview", tmp)
    with ep.section("intro"):
        ep.say(HOST, "Welcome to Signal and Noise, the show about building things that last.",
               "I'm your host, Sam Rivera.",
               "Before we start, please subscribe and leave us a review wherever you listen.",
               "It really helps the show.")
    with ep.section(label="pricing is psychology") as s:
        ep.say(HOST, "My guest today is Dana Whitfield, who has run three software companies.",
               "Dana, what is the biggest mistake you see founders make with pricing?")
        ep.turn()
        s.good_from_here()
        ep.say(GUEST, "Most founders think pricing is a math problem.",
               "It is actually a psychology problem.",
               "When we doubled our price, our churn went down, not up.",
               "Customers trusted us more because we charged more.",
               "Nobody believed me until they saw the numbers.")
        ep.turn()
        ep.say(HOST, "That is not what anyone expects.")
        ep.turn()
        ep.say(GUEST, "It never is.",
               "A price is a signal.",
               "A low price tells people you are not sure of your own value.")
    with ep.section("ad"):
        ep.say(ADS, "This episode is sponsored by Northwind Coffee.",
               "Go to northwind coffee dot com slash signal and use the promo code SIGNAL for twenty percent off your first order.",
               "That is northwind coffee dot com slash signal.",
               "Northwind Coffee, fuel for your best work.",
               "Order today and get free shipping on every bag.")
    with ep.section(label="hire for next year's problems") as s:
        ep.say(HOST, "Let us talk about hiring.", "How did you hire your first engineer?")
        ep.turn()
        s.good_from_here()
        ep.say(GUEST, "Hire for the problems you will have in a year, not the ones you have today.",
               "The first engineer I hired was the best programmer I have ever met.",
               "He quit after six months because there was nothing hard left to do.",
               "The second one was less brilliant, but she loved talking to customers.",
               "She is now our chief technology officer.")
    with ep.section("housekeeping"):
        ep.say(HOST, "Quick housekeeping before we go on.",
               "We are recording a live episode in Chicago on March third.",
               "Tickets are on our website, and members of our newsletter get early access.",
               "Now, back to Dana.")
    with ep.section(label="ask not what your country can do for you") as s:
        ep.say(HOST, "Let me play you a speech that changed how I think about service.")
        s.good_from_here()
        ep.wav(ROOT / "samples" / "jfk.wav")
        ep.silence(SAME_SPEAKER_GAP)
        ep.turn()
        ep.say(GUEST, "That line still gives me chills.",
               "Service is the whole point of a company.",
               "If you forget who you serve, the numbers will remind you.")
    with ep.section(label="the grandmother's bakery") as s:
        ep.turn()
        ep.say(HOST, "Where did you learn that?")
        ep.turn()
        s.good_from_here()
        ep.say(GUEST, "My grandmother Rosa ran a bakery in Naples for forty years.",
               "She never once raised her prices in a hard winter.",
               "She told me that the people who come in when times are hard are the ones who keep you alive when times are good.",
               "That is still the best business advice I have ever heard.")
    with ep.section("phone menu"):
        ep.say(HOST, "Here is the opposite of that.", "Yesterday I called my bank and heard this.")
        ep.say(MENU, "Thank you for calling First National Bank.",
               "For account balances, press one.",
               "For recent transactions, press two.",
               "To report a lost or stolen card, press three.",
               "To speak with a representative, press zero.",
               "To hear these options again, press nine.",
               "For account balances, press one.",
               "For recent transactions, press two.",
               "To report a lost or stolen card, press three.",
               "Please enter your sixteen digit card number followed by the pound key.")
    with ep.section(label="how decisions get made") as s:
        ep.say(HOST, "We recorded our own design meeting last week.",
               "Listen to how decisions really get made.")
        s.good_from_here()
        ep.wav(ROOT / "samples" / "meeting.wav")
        ep.silence(SAME_SPEAKER_GAP)
    with ep.section("ad"):
        ep.say(ADS, "This part of the show is brought to you by Ledgerly, the accounting app for freelancers.",
               "Send invoices in seconds and get paid twice as fast.",
               "Try it free for thirty days at ledgerly dot io slash signal.")
    with ep.section(label="sonnet one") as s:
        ep.say(HOST, "Let us end with something older.", "Here is a reading of Shakespeare's first sonnet.")
        s.good_from_here()
        ep.wav(ROOT / "samples" / "sonnet.wav")
        ep.silence(SAME_SPEAKER_GAP)
    with ep.section("outro"):
        ep.say(HOST, "Thanks for listening to Signal and Noise.",
               "If you enjoyed this episode, please subscribe, rate the show and share it with a friend.",
               "You can find the show notes on our website.",
               "See you next week.")
    ep.write()


def lecture(tmp: Path) -> None:
    """A one-minute talk by one speaker with a long pause in the middle of a
    sentence (where Whisper tends to write a comma)."""
    ep = Episode("dev-lecture", tmp)
    ep.speed = 130  # a lecturer's pace
    with ep.section(label="why sleep matters"):
        ep.say(HOST, "Good morning everyone.",
               "Today I want to talk about why sleep matters more than study.",
               "Most of you think of sleep as time lost.",
               "Every night, your brain replays what you learned during the day")
        ep.silence(2.2)
        ep.say(HOST, "and it keeps only what it replays.",
               "In one well known experiment, students who slept after learning a list of words remembered forty percent more of them the next morning.",
               "Students who stayed up all night to cram remembered less than they did before they started.",
               "The difference was not effort.",
               "It was sleep.",
               "So the next time you have an exam, close the book at a sensible hour and go to bed.",
               "Your memory does its best work while you are asleep.",
               "Thank you.")
    ep.write()


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        interview(Path(d))
        lecture(Path(d))


if __name__ == "__main__":
    main()
