"""Which OCR engine reads our scans best, how fast, and at what memory: prints a Markdown table.

    /work/main/.venv/bin/python benchmarks/ocr_engines.py [--rounds 3] [--pdf-pages]

Engines (each in a child process of its own, started once and fed page after page):
- tesseract        Tesseract 5 (Debian `tesseract-ocr`, eng) through pytesseract, image as given;
- tesseract+osd    the same after Tesseract's orientation detection (`image_to_osd`, `--psm 0`),
                   the image turned as it says (90/180/270);
- ocr.py           what the app ships (desktop_search/core/ocr.py): the `tesseract` program with one
                   thread, grey pixels on stdin, levelled first (skew ±15° by the ink's profile),
                   orientation found in the same run (`--psm 1`);
- pymupdf          PyMuPDF's built-in Tesseract (`page.get_textpage_ocr(language="eng", dpi=300,
                   full=True)`, TESSDATA_PREFIX = Debian's tessdata); images at their own resolution;
- rapidocr         RapidOCR 3 (PP-OCR det + rec ONNX models shipped in its wheel, onnxruntime) with
                   its text-line angle classifier (0/180°);
- rapidocr-nocls   the same without the classifier.

Input: PDF pages rendered at 300 dpi by PyMuPDF (pymupdf reads its own page), image frames read by
Pillow (transparency flattened on white). Every engine gets the same pixels.

Data and metrics:
- Ground truth: `pdf/scan_groundtruth/` (3 image-only PDFs, all pages), `images/groundtruth/`
  (5 images), and copies of those pages in the corpus: phototest rotated by 90° and 180° and as
  GIF/WebP (phototest's truth), test-european.jpg (eurotext's truth); plus a few words read by eye
  on the page skewed by 10° (tika testRotated+10).
- Words: NFKC, lower case, runs of letters/digits; only words in Latin script are compared (the
  engines are asked for English; the Arabic/Persian/Chinese text of the PDFs is left out).
- word accuracy = 1 − WER, WER = word-level edit distance between the truth's and the OCR's word
  sequences (reading order counts) / number of truth words, summed over all documents (floored at 0
  per document). recall / precision = bag of words: the multiset intersection over the truth's /
  the OCR's word count (reading order does not count).
- yield: on the images without ground truth, the share with ≥ 10 letters or digits, next to the
  manifest's reference (tesseract 5.3 CLI, eng); on `notext` photos any yield is a false alarm.
- s/page: wall seconds of one page (render + OCR), over the ground-truth pages; the engines take
  turns page by page (other programs share the CPU), so each round gives every engine the same
  conditions; the median round and the spread (min–max) of the rounds. CPU s/page: user+system of
  the engine's process and its children (several threads count several times).
- peak MiB: the largest resident set of the engine's process or a child (wait4's ru_maxrss).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("DESKTOP_SEARCH_CORPUS", HERE.parent.parent / "shared" / "corpus"))
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
ENGINES = ("tesseract", "tesseract+osd", "ocr.py", "pymupdf", "rapidocr", "rapidocr-nocls")
DPI = 300

# Pages of the corpus that are copies of a page with ground truth.
SAME_PAGE = {
    "scanned/tesseract__phototest-rotated-180.png": "tesseract__phototest.tif.txt",
    "scanned/tesseract__phototestrot.tif": "tesseract__phototest.tif.txt",
    "screenshots/pytesseract__test.gif": "tesseract__phototest.tif.txt",
    "screenshots/pytesseract__test.webp": "tesseract__phototest.tif.txt",
    "scanned/pytesseract__test-european.jpg": "tesseract__eurotext.tif.txt",
}
# Read by eye on the skewed page (its first lines): no ground-truth file exists for it.
BY_EYE = {
    "scanned/tika__testRotated+10.png": "Its had resolving otherwise she contented therefore Afford relied "
    "warmth out sir hearts sister use garden Men day warmth formed admire former simple Humanity "
    "declared vicinity continue supplied no an He hastened am no property exercise of",
}
ROTATED = ("phototest-rotated-180", "phototestrot", "testRotated+10")


# --- the engines (run inside a worker process) ----------------------------------------------


def load(kind: str, path: str, number: int) -> Any:
    """The RGB pixels of a PDF page at 300 dpi or of an image frame."""
    from PIL import Image

    if kind == "pdf":
        import pymupdf

        with pymupdf.open(path) as document:
            pixmap = document[number - 1].get_pixmap(dpi=DPI, alpha=False)
            return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    with Image.open(path) as image:
        image.seek(number - 1)
        frame = image.convert("RGBA")
    flat = Image.new("RGBA", frame.size, "white")
    flat.alpha_composite(frame)
    return flat.convert("RGB")


def osd_turned(image: Any) -> Any:
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0")
    except pytesseract.TesseractError:
        return image  # too few characters to tell
    rotate = int(re.search(r"Rotate: (\d+)", osd).group(1))  # type: ignore[union-attr]
    return image.rotate(-rotate, expand=True) if rotate else image


class Engine:
    def __init__(self, name: str) -> None:
        self.name = name
        if name.startswith("rapidocr"):
            from rapidocr import RapidOCR

            self.rapid = RapidOCR(params={"Global.log_level": "warning"})

    def read(self, kind: str, path: str, number: int) -> str:
        if self.name == "pymupdf":
            return self.pymupdf(kind, path, number)
        if self.name == "ocr.py":
            from desktop_search.core.ocr import recognise_page

            return recognise_page(Path(path), kind, number).text
        image = load(kind, path, number)
        if self.name.startswith("tesseract"):
            import pytesseract

            if self.name == "tesseract+osd":
                image = osd_turned(image)
            return str(pytesseract.image_to_string(image, lang="eng"))
        result = self.rapid(image, use_cls=self.name == "rapidocr")
        return "\n".join(result.txts or ())

    def pymupdf(self, kind: str, path: str, number: int) -> str:
        import pymupdf

        if kind == "pdf":
            with pymupdf.open(path) as document:
                page = document[number - 1]
                return str(page.get_text(textpage=page.get_textpage_ocr(language="eng", dpi=DPI, full=True)))
        image = load(kind, path, number)
        pixmap = pymupdf.Pixmap(pymupdf.csRGB, image.width, image.height, image.tobytes(), False)
        with pymupdf.open("pdf", pixmap.pdfocr_tobytes(language="eng")) as document:
            return str(document[0].get_text())


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(name: str) -> None:
    os.environ.setdefault("TESSDATA_PREFIX", TESSDATA)
    replies, sys.stdout = sys.stdout, sys.stderr  # only the replies go to the parent
    started = time.perf_counter()
    engine = Engine(name)
    print(json.dumps({"ready": time.perf_counter() - started}), file=replies, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        wall, cpu = time.perf_counter(), cpu_seconds()
        try:
            text, error = engine.read(request["kind"], request["path"], request["number"]), None
        except Exception as failure:  # counted as no text, and listed
            text, error = "", f"{type(failure).__name__}: {failure}"[:200]
        reply = {"text": text, "wall": time.perf_counter() - wall, "cpu": cpu_seconds() - cpu, "error": error}
        print(json.dumps(reply), file=replies, flush=True)


# --- the data ------------------------------------------------------------------------------


def manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def items(pdf_pages: bool) -> list[dict[str, Any]]:
    """Pages to read: {kind, path, number, doc, truth (text or None), category, reference}."""
    found: list[dict[str, Any]] = []
    pdf = CORPUS / "pdf"
    for truth in sorted((pdf / "scan_groundtruth").glob("*.txt")):
        path = pdf / "scanned" / truth.name.removesuffix(".txt")
        import pymupdf

        with pymupdf.open(path) as document:
            count = document.page_count
        text = truth.read_text(encoding="utf-8")
        for number in range(1, count + 1):
            found.append(dict(kind="pdf", path=str(path), number=number, doc=path.name, truth=text))
    if pdf_pages:  # first pages of the other scanned PDFs: timing and yield only
        for row in manifest(pdf):
            name = row["file"]
            if (
                row["category"] == "scanned"
                and not (pdf / "scan_groundtruth" / f"{Path(name).name}.txt").exists()
            ):
                found.append(dict(kind="pdf", path=str(pdf / name), number=1, doc=name, truth=None))
    images = CORPUS / "images"
    for row in manifest(images):
        name = row["file"]
        truth = row["groundtruth"] or (f"groundtruth/{SAME_PAGE[name]}" if name in SAME_PAGE else "")
        text = (images / truth).read_text(encoding="utf-8") if truth else BY_EYE.get(name)
        for number in range(1, int(row["frames"] or 1) + 1):
            found.append(
                dict(
                    kind="image",
                    path=str(images / name),
                    number=number,
                    doc=name,
                    truth=text,
                    category=row["category"],
                    reference=row["reference_outcome"],
                    own_truth=bool(row["groundtruth"]),
                )
            )
    return found


# --- the metrics ---------------------------------------------------------------------------


def latin_words(text: str) -> list[str]:
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    return [word for word in words if all(c.isdigit() or "LATIN" in unicodedata.name(c, "") for c in word)]


def edit_distance(truth: list[str], found: list[str]) -> int:
    previous = list(range(len(found) + 1))
    for i, word in enumerate(truth, 1):
        current = [i]
        for j, other in enumerate(found, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def letters(text: str) -> int:
    return sum(c.isalnum() for c in text)


# --- the run -------------------------------------------------------------------------------


def start(name: str) -> subprocess.Popen[str]:
    env = dict(os.environ, TESSDATA_PREFIX=TESSDATA, ORT_DISABLE_TELEMETRY="1", PYTHONPATH=str(HERE.parent))
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", name],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    return process


def ask(process: subprocess.Popen[str], item: dict[str, Any]) -> dict[str, Any]:
    assert process.stdin and process.stdout
    request = {key: item[key] for key in ("kind", "path", "number")}
    try:
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
    except BrokenPipeError:
        line = ""
    if not line:  # the engine's process died on this page
        return {"text": "", "wall": 0.0, "cpu": 0.0, "error": "crashed", "crashed": True}
    return dict(json.loads(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--pdf-pages", action="store_true", help="also the first page of every other scanned PDF"
    )
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--only", default="", help="only the pages whose file name contains this")
    parser.add_argument("--dump", type=Path, help="write each engine's text of each page to this folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    engines = args.engines.split(",")
    pages = [item for item in items(args.pdf_pages) if args.only in item["doc"]]
    processes = {name: start(name) for name in engines}
    crashed_peaks: dict[str, float] = {}
    ready = {name: json.loads(process.stdout.readline())["ready"] for name, process in processes.items()}  # type: ignore[union-attr]
    texts: dict[str, list[str]] = {name: [] for name in engines}
    timing: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}  # per round, GT pages
    for round_ in range(args.rounds):
        sums = {name: [0.0, 0.0] for name in engines}
        timed = [item for item in pages if item["truth"] is not None] if round_ else pages
        for index, item in enumerate(timed):
            order = engines[index % len(engines) :] + engines[: index % len(engines)]
            for name in order:
                reply = ask(processes[name], item)
                if reply.get("crashed"):
                    _, _, usage = os.wait4(processes[name].pid, 0)
                    crashed_peaks[name] = max(crashed_peaks.get(name, 0.0), usage.ru_maxrss / 1024)
                    processes[name] = start(name)
                    processes[name].stdout.readline()  # type: ignore[union-attr]  # ready
                if round_ == 0:
                    texts[name].append(reply["text"])
                    if reply["error"]:
                        print(f"{name} {item['doc']} {item['number']}: {reply['error']}", file=sys.stderr)
                if item["truth"] is not None:
                    sums[name][0] += reply["wall"]
                    sums[name][1] += reply["cpu"]
        count = max(1, sum(item["truth"] is not None for item in pages))
        for name in engines:
            timing[name].append((sums[name][0] / count, sums[name][1] / count))
        print(f"round {round_ + 1} done", file=sys.stderr, flush=True)
    peaks = {}
    for name, process in processes.items():
        process.stdin.close()  # type: ignore[union-attr]
        _, _, usage = os.wait4(process.pid, 0)
        peaks[name] = max(usage.ru_maxrss / 1024, crashed_peaks.get(name, 0.0))
    if args.dump:
        for name in engines:
            for item, text in zip(pages, texts[name]):
                target = args.dump / name / f"{Path(item['doc']).name}.{item['number']}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    report(engines, pages, texts, timing, peaks, ready, args)


def report(
    engines: list[str],
    pages: list[dict[str, Any]],
    texts: dict[str, list[str]],
    timing: dict[str, list[tuple[float, float]]],
    peaks: dict[str, float],
    ready: dict[str, float],
    args: argparse.Namespace,
) -> None:
    print(f"{len(pages)} pages; {args.rounds} rounds; load {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs\n")
    print(
        "| engine | word accuracy (1−WER) | recall | precision | rotated/skewed recall | "
        "yield ≥10 letters (scanned / screenshots / photos / notext) | s/page median [min–max] | "
        "CPU s/page | start s | peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    details = []
    for name in engines:
        docs: dict[str, dict[str, Any]] = {}
        for item, text in zip(pages, texts[name]):
            if item["truth"] is not None:
                doc = docs.setdefault(item["doc"], {"truth": item["truth"], "text": []})
                doc["text"].append(text)
        edits = truth_words = common = found_words = 0
        rotated_hit = rotated_all = 0
        for doc_name, doc in docs.items():
            truth, found = latin_words(doc["truth"]), latin_words("\n".join(doc["text"]))
            distance = min(edit_distance(truth, found), len(truth))
            hit = sum((Counter(truth) & Counter(found)).values())
            accuracy = "" if doc_name in BY_EYE else f"accuracy {1 - distance / len(truth):.2f}, "
            details.append(f"{name} {doc_name}: {accuracy}recall {hit / len(truth):.2f}")
            if any(part in doc_name for part in ROTATED):
                rotated_hit, rotated_all = rotated_hit + hit, rotated_all + len(truth)
                if doc_name in BY_EYE:
                    continue  # a partial truth: recall only
            edits, truth_words = edits + distance, truth_words + len(truth)
            common, found_words = common + hit, found_words + len(found)
        yields = []
        for category in ("scanned", "screenshots", "photos", "notext"):
            group = [
                (item, text)
                for item, text in zip(pages, texts[name])
                if item.get("category") == category and not item.get("own_truth")
            ]
            got = sum(letters(text) >= 10 for _, text in group)
            reference = sum(item["reference"] == "TEXT" for item, _ in group)
            yields.append(f"{got}/{len(group)} (ref {reference})")
        walls = sorted(wall for wall, _ in timing[name])
        cpus = [cpu for _, cpu in timing[name]]
        print(
            f"| {name} | {1 - edits / truth_words:.3f} | {common / truth_words:.3f} | "
            f"{common / max(found_words, 1):.3f} | {rotated_hit / max(rotated_all, 1):.2f} | {' / '.join(yields)} | "
            f"{statistics.median(walls):.2f} [{walls[0]:.2f}–{walls[-1]:.2f}] | {statistics.median(cpus):.2f} | "
            f"{ready[name]:.1f} | {peaks[name]:.0f} |"
        )
    print()
    print("\n".join(f"- {line}" for line in details))
    if args.pdf_pages:
        print()
        for name in engines:
            group = [
                t for item, t in zip(pages, texts[name]) if item["kind"] == "pdf" and item["truth"] is None
            ]
            print(
                f"- {name}: other scanned PDFs' first pages with ≥10 letters: {sum(letters(t) >= 10 for t in group)}/{len(group)}"
            )


if __name__ == "__main__":
    main()
