"""The photo pipeline against a straightforward Pillow loop, side by side in one run.

Both sides make the same files from the same camera-size JPEGs (4000 × 3000,
EXIF orientation and GPS, a mix of upright and sideways photos): widths
480/960/1600 never upscaled, WebP q80 method 4 and JPEG q82 optimised
progressive. The baseline opens, exif_transposes, resizes the full image to
each width and saves each format, one photo after the other. Each side runs in
its own process so that its peak memory is its own. Then one upright and one
sideways photo stage by stage on both sides, and a warm-cache rebuild: the
images step of a build (hash look-up, cache look-up, linking every file into a
fresh output) for 1,000 unchanged photos.

    python benchmarks/bench_images.py [--photos 16] [--warm 1000] [--write docs/performance.md]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks import report

from PIL import Image, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parent.parent

from portal.core.images.settings import kinds
from portal.core.images import workpool
from portal.core.images.documents import Publisher
from portal.core.images.pipeline import Encoding, decode, render, save

WIDTHS = (480, 960, 1600)
SETTINGS = {"IMAGES_WIDTHS": WIDTHS, "IMAGES_CARD_WIDTHS": (240, 480, 960), "IMAGES_CARD_RATIO": (4, 3),
            "IMAGES_OG_SIZE": (1200, 630), "SITEURL": "", "IMAGES_OUTPUT_DIR": "anh"}
ENCODING = Encoding()
ORIENTATIONS = (1, 6, 1, 8, 1, 3)  # most photos upright, some from phones held sideways
SIDES = ("baseline", "pipeline", "one-core")  # one-core: the pipeline with a single worker
MARK_START, MARK_END = "<!-- bench-images:start -->", "<!-- bench-images:end -->"


# --- Photos ----------------------------------------------------------------------


def camera_photo(seed: int, size: tuple[int, int]) -> bytes:
    """Blurred shapes plus sensor-like noise: compresses like a real photo (~3 MB at 4000 × 3000)."""
    rng = random.Random(seed)
    sketch = Image.new("RGB", (size[0] // 10, size[1] // 10), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(sketch)
    for _ in range(80):
        x, y, r = rng.randrange(sketch.width), rng.randrange(sketch.height), rng.randrange(5, sketch.width // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    scene = sketch.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BICUBIC)
    # Texture at two scales, so that detail survives the downscale as in a real photo.
    texture = Image.effect_noise((size[0] // 6, size[1] // 6), 60).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 40)
    photo = Image.blend(scene, Image.merge("RGB", (texture, grain, texture)), 0.2)
    exif = Image.Exif()
    exif[0x0112] = ORIENTATIONS[seed % len(ORIENTATIONS)]
    exif[0xA431] = f"SERIAL-{seed:05d}"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (18.0, 40.0, float(seed % 60)), "E", (105.0, 41.0, 3.0)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def _write_photo(args: tuple[int, tuple[int, int], str]) -> None:
    seed, size, path = args
    Path(path).write_bytes(camera_photo(seed, size))


def make_photos(directory: Path, count: int, size: tuple[int, int], seed: int = 0) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"anh-{n:04d}.jpg" for n in range(count)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_photo, [(seed + n, size, str(p)) for n, p in enumerate(paths)], chunksize=8))
    return paths


# --- The two sides (each in its own process) ------------------------------------------


def baseline(photos: list[Path], out: Path) -> None:
    """The straightforward way: full decode, transpose, resize from full size, save."""
    for path in photos:
        with Image.open(path) as original:
            image = ImageOps.exif_transpose(original)
            for width in WIDTHS:
                if width > image.width:
                    continue
                resized = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
                resized.save(out / f"{path.stem}-{width}.webp", "WEBP", quality=ENCODING.webp_quality, method=4)
                resized.save(out / f"{path.stem}-{width}.jpg", "JPEG", quality=ENCODING.jpeg_quality,
                             optimize=True, progressive=True)


def pipeline(photos: list[Path], out: Path, workers: int | None = None) -> None:
    outcome = workpool.run({p: {"body"} for p in photos}, kinds(SETTINGS), ENCODING, out, workers=workers)
    assert not outcome.failures and outcome.encoded == len(photos), outcome


def run_side(side: str, photos_dir: Path, out: Path) -> dict:
    photos = sorted(photos_dir.glob("*.jpg"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if side == "baseline":
        baseline(photos, out)
    else:
        pipeline(photos, out, workers=1 if side == "one-core" else None)
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sizes = {"webp": 0, "jpg": 0}
    for file in out.rglob("*"):
        if file.suffix[1:] in sizes:
            sizes[file.suffix[1:]] += file.stat().st_size
    return {"seconds": elapsed, "photos": len(photos), "peak_mib": max(own, children) / 1024, "bytes": sizes}


def measure(side: str, photos_dir: Path, scratch: Path) -> dict:
    out = scratch / f"out-{side}"
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, __file__, "--side", side, "--photos-dir", str(photos_dir), "--out", str(out)],
        capture_output=True, text=True, check=True,
    )
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(result.stdout)


# --- Where one photo's time goes ------------------------------------------------------


def best_of(repeats: int, work) -> tuple[float, object]:
    """Fastest of ``repeats`` runs of ``work()``, in milliseconds, with its last result."""
    fastest, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest * 1000, result


def encode_all(images: list[Image.Image]) -> None:
    for image in images:
        for fmt in ("webp", "jpeg"):
            save(image, Path(os.devnull), fmt, ENCODING)


def stages(path: Path, repeats: int = 3) -> dict[str, dict[str, float]]:
    """One photo through both sides, stage by stage, on one core (milliseconds)."""
    def full_decode():
        with Image.open(path) as original:
            original.load()
            return original.copy()

    base = {}
    base["decode"], original = best_of(repeats, full_decode)
    base["turn"], upright = best_of(repeats, lambda: ImageOps.exif_transpose(original))
    sized = [(w, round(upright.height * w / upright.width)) for w in WIDTHS if w <= upright.width]
    base["resize"], resized = best_of(repeats, lambda: [upright.resize(s, Image.Resampling.LANCZOS) for s in sized])
    base["encode"], _ = best_of(repeats, lambda: encode_all(resized))

    kind = kinds(SETTINGS)["body"]
    fast = {}
    fast["decode"], _ = best_of(repeats, lambda: decode(str(path), [kind], ENCODING))
    with tempfile.TemporaryDirectory() as tmp:
        total, _ = best_of(repeats, lambda: render(str(path), [(kind, tmp)], ENCODING))
    fast["encode"] = base["encode"]  # the same images, sizes and settings: measured once
    fast["resize"] = max(0.0, total - fast["decode"] - fast["encode"])
    return {"baseline": base, "pipeline": fast}


# --- Warm cache -------------------------------------------------------------------------


def warm_rebuild(photos: list[Path], cache: Path, content_root: Path, scratch: Path) -> float:
    """The images step of a rebuild: look-ups, then every file linked into a fresh output."""
    output = scratch / "warm-output"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    outcome = workpool.run({p: {"body"} for p in photos}, kinds(SETTINGS), ENCODING, cache)
    publisher = Publisher(SETTINGS, content_root)
    for (source, _kind), entry in outcome.entries.items():
        publisher.responsive(source, entry)
    workpool.place(publisher.files, output)
    elapsed = time.perf_counter() - started
    assert outcome.encoded == 0 and outcome.reused == len(photos), (outcome.encoded, outcome.reused)
    shutil.rmtree(output, ignore_errors=True)
    return elapsed


# --- Report -----------------------------------------------------------------------------


def vn(n: int) -> str:
    return f"{n:,}"  # an English document: 1,000


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def report(args, base: dict, fast: dict, warm: dict, photo_mib: float) -> str:
    rate_b, rate_p = base["photos"] / base["seconds"], fast["photos"] / fast["seconds"]
    rows = [
        "| measure | baseline (plain Pillow loop) | pipeline | ratio |",
        "|---|---|---|---|",
        f"| photos/second ({base['photos']} photos 4000 × 3000, {photo_mib:.1f} MiB average) "
        f"| {rate_b:.2f} | {rate_p:.2f} | **{rate_p / rate_b:.2f}×** |",
        f"| wall time | {base['seconds']:.1f} s | {fast['seconds']:.1f} s | {base['seconds'] / fast['seconds']:.2f}× |",
        f"| ratio in each round (same photos, back to back) | | | "
        f"{', '.join(f'{b / p:.2f}×' for b, p in args.paired)} |",
        f"| the pipeline on one core (one worker): photos/second | {rate_b:.2f} "
        f"| {args.one_core['photos'] / args.one_core['seconds']:.2f} "
        f"| {base['seconds'] / args.one_core['seconds']:.2f}× |",
        f"| peak memory of one process | {base['peak_mib']:.0f} MiB | {fast['peak_mib']:.0f} MiB "
        f"| {fast['peak_mib'] / base['peak_mib']:.2f}× |",
    ]
    for ext in ("webp", "jpg"):
        b, p = base["bytes"][ext], fast["bytes"][ext]
        rows.append(f"| output size, {ext.upper()} | {mib(b)} | {mib(p)} | {p / b:.3f}× |")
    rows.append(
        f"| warm rebuild, {vn(warm['count'])} unchanged photos ({vn(warm['files'])} files linked) "
        f"| – | {warm['seconds']:.2f} s | goal < 1 s |"
    )
    rows.append(
        f"| …after every file was touched (fresh checkout: {warm['mib']:.0f} MiB re-hashed) "
        f"| – | {warm['rehash_seconds']:.2f} s | |"
    )
    cpus = os.cpu_count()
    return "\n".join([
        MARK_START,
        f"`make bench-images` on this machine ({cpus} cores, Pillow {Image.__version__}, load average "
        f"{args.load:.1f} at the start), best of {args.rounds} rounds per side, sides alternated:",
        "",
        *rows,
        "",
        "Where one photo's time goes, on one core (milliseconds, best of 3; the encoders get the same "
        "images, so their time is measured once):",
        "",
        *stage_rows(args.stages),
        "",
        f"The warm set is {vn(warm['count'])} distinct {warm['size'][0]} × {warm['size'][1]} photos "
        "(their pixel size does not matter once cached: only file sizes and times are read).",
        MARK_END,
    ])


def stage_rows(measured: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    names = list(measured)
    rows = ["| stage | " + " | ".join(f"{n}: baseline | {n}: pipeline" for n in names) + " |",
            "|---|" + "---|---|" * len(names)]
    labels = {"decode": "decode (pipeline: JPEG DCT scaling)", "turn": "turn upright (pipeline: after resizing)",
              "resize": "resize to 480/960/1600 (pipeline: total − decode − encode, so turning and writing too)",
              "encode": "encode WebP + JPEG, 3 widths"}
    for stage, label in labels.items():
        cells = []
        for n in names:
            for side in ("baseline", "pipeline"):
                value = measured[n][side].get(stage)
                cells.append(f"{value:.0f}" if value is not None else "in resize")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    totals, ratios, ceilings = [], [], []
    for n in names:
        base, fast = (sum(measured[n][side].values()) for side in ("baseline", "pipeline"))
        totals += [f"{base:.0f}", f"{fast:.0f}"]
        ratios += ["", f"{base / fast:.2f}×"]
        ceilings += ["", f"{base / measured[n]['pipeline']['encode']:.2f}×"]
    rows.append("| total | " + " | ".join(totals) + " |")
    rows.append("| ratio on one core | " + " | ".join(ratios) + " |")
    rows.append("| ceiling if decoding and resizing were free | " + " | ".join(ceilings) + " |")
    return rows


def write_section(path: Path, section: str) -> None:
    report.write_section(path, section, MARK_START, MARK_END, "Images (`make bench-images`)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=1000)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--side", choices=SIDES)
    parser.add_argument("--photos-dir", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.photos_dir, args.out)))
        return
    args.load = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bench-images-", dir=ROOT / ".cache" if (ROOT / ".cache").is_dir() else None) as tmp:
        scratch = Path(tmp)
        print(f"Tạo {args.photos} ảnh 4000 × 3000…", file=sys.stderr)
        photos = make_photos(scratch / "camera", args.photos, (4000, 3000))
        photo_mib = sum(p.stat().st_size for p in photos) / len(photos) / 2**20
        results = {side: [] for side in SIDES}
        for round_number in range(args.rounds):
            for side in SIDES:
                results[side].append(measure(side, scratch / "camera", scratch))
                print(f"vòng {round_number + 1} {side}: {results[side][-1]['seconds']:.1f} s", file=sys.stderr)
        args.paired = [(b["seconds"], p["seconds"]) for b, p in zip(results["baseline"], results["pipeline"])]
        base = min(results["baseline"], key=lambda r: r["seconds"])
        fast = min(results["pipeline"], key=lambda r: r["seconds"])
        args.one_core = min(results["one-core"], key=lambda r: r["seconds"])
        upright, sideways = (next(p for n, p in enumerate(photos) if ORIENTATIONS[n % len(ORIENTATIONS)] == o) for o in (1, 6))
        args.stages = {"upright": stages(upright), "sideways": stages(sideways)}

        size = (800, 600)  # cheap to make; a cached photo costs the same whatever its pixels
        print(f"Tạo {args.warm} ảnh cho phép đo bộ nhớ đệm…", file=sys.stderr)
        content = scratch / "content"
        warm_photos = make_photos(content / "images", args.warm, size, seed=10_000)
        cache = scratch / "cache"
        workpool.run({p: {"body"} for p in warm_photos}, kinds(SETTINGS), ENCODING, cache)  # cold fill
        seconds = min(warm_rebuild(warm_photos, cache, content, scratch) for _ in range(3))
        for photo in warm_photos:
            os.utime(photo)
        rehash = warm_rebuild(warm_photos, cache, content, scratch)
        files = len(warm_photos) * 2 * len(WIDTHS)
        warm = {"count": len(warm_photos), "files": files, "seconds": seconds, "rehash_seconds": rehash,
                "size": size, "mib": sum(p.stat().st_size for p in warm_photos) / 2**20}

    section = report(args, base, fast, warm, photo_mib)
    print(section)
    if args.write:
        write_section(args.write, section)


if __name__ == "__main__":
    main()
