"""A run's log: one JSON object per line in RUN/log.jsonl, and loss curves drawn with PIL.

    book = Logbook(run_dir)
    book.log(step=100, loss=0.12, psnr=21.3)          # appends {"time": ..., "step": 100, ...}
    book.plot({"loss": "loss", "val": "val_loss"}, run_dir / "loss.png", log_y=True)

Plotting uses PIL only (no matplotlib on the training machines).
"""
import json
import math
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)]


class Logbook:
    def __init__(self, run_dir: str | Path, name: str = "log.jsonl"):
        self.path = Path(run_dir) / name
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def log(self, **fields) -> dict:
        record = {"time": round(time.time(), 3), **fields}
        with open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")
        return record

    def records(self) -> list[dict]:
        return read_jsonl(self.path)

    def series(self, key: str, x: str = "step") -> list[tuple[float, float]]:
        """(x, value) pairs of every record that has both keys and a finite value."""
        out = []
        for r in self.records():
            if key in r and x in r and isinstance(r[key], (int, float)) and math.isfinite(r[key]):
                out.append((float(r[x]), float(r[key])))
        return out

    def plot(self, keys: dict[str, str] | list[str], path: str | Path, log_y: bool = False, title: str = "",
             smooth: float = 0.0) -> Path:
        """Draws the named series (legend label -> log key) against step into a PNG."""
        keys = {k: k for k in keys} if isinstance(keys, list) else keys
        series = {label: self.series(key) for label, key in keys.items()}
        return plot_curves(series, path, log_y=log_y, title=title or self.path.parent.name, smooth=smooth)


def read_jsonl(path: str | Path) -> list[dict]:
    """Reads a JSONL file, skipping a torn last line (a run killed mid-write)."""
    path = Path(path)
    if not path.exists():
        return []
    records = []
    for line in path.read_text().splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def _nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    span = hi - lo if hi > lo else 1.0
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 1)]


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1e4 or abs(v) < 1e-3:
        return f"{v:.0e}"
    return f"{v:.4g}"


def ema(points: list[tuple[float, float]], beta: float) -> list[tuple[float, float]]:
    """Exponential moving average of the y values, bias-corrected like Adam's moments."""
    out, m = [], 0.0
    for i, (x, y) in enumerate(points):
        m = beta * m + (1 - beta) * y
        out.append((x, m / (1 - beta ** (i + 1))))
    return out


def plot_curves(series: dict[str, list[tuple[float, float]]], path: str | Path, log_y: bool = False,
                title: str = "", size: tuple[int, int] = (800, 480), smooth: float = 0.0) -> Path:
    """Line plot of several named (x, y) series. With log_y, non-positive values are dropped.
    smooth > 0 draws the raw series faintly and its EMA (beta=smooth) on top. Series longer than the
    plot is wide are min/max-decimated per pixel column, so spikes stay visible."""
    path = Path(path)
    W, H = size
    left, right, top, bottom = 70, 20, 30, 40
    img = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()

    fy = (lambda v: math.log10(v)) if log_y else (lambda v: v)
    clean = {k: [(x, y) for x, y in pts if not log_y or y > 0] for k, pts in series.items()}
    all_pts = [p for pts in clean.values() for p in pts]
    if title:
        draw.text((left, 8), title, fill="black", font=font)
    if not all_pts:
        draw.text((W // 2 - 30, H // 2), "no data", fill="gray", font=font)
        img.save(path)
        return path

    x0, x1 = min(p[0] for p in all_pts), max(p[0] for p in all_pts)
    y0, y1 = min(fy(p[1]) for p in all_pts), max(fy(p[1]) for p in all_pts)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y0, y1 = y0 - 0.5, y1 + 0.5
    pad = (y1 - y0) * 0.05
    y0, y1 = y0 - pad, y1 + pad
    pw, ph = W - left - right, H - top - bottom
    sx = lambda x: left + (x - x0) / (x1 - x0) * pw  # noqa: E731
    sy = lambda y: top + (1 - (y - y0) / (y1 - y0)) * ph  # noqa: E731

    # grid and tick labels
    if log_y:
        yticks = [float(e) for e in range(math.floor(y0), math.ceil(y1) + 1) if y0 <= e <= y1]
        if len(yticks) < 2:  # less than a decade: label linear ticks at their log position
            yticks = [math.log10(t) for t in _nice_ticks(10 ** y0, 10 ** y1) if t > 0]
        ylabels = [_fmt(10 ** t) for t in yticks]
    else:
        yticks = _nice_ticks(y0, y1)
        ylabels = [_fmt(t) for t in yticks]
    for t, label in zip(yticks, ylabels):
        y = sy(t)
        draw.line([(left, y), (W - right, y)], fill=(230, 230, 230))
        draw.text((4, y - 6), label.rjust(9), fill="black", font=font)
    for t in _nice_ticks(x0, x1, 6):
        x = sx(t)
        draw.line([(x, top), (x, H - bottom)], fill=(230, 230, 230))
        draw.text((x - 12, H - bottom + 6), _fmt(t), fill="black", font=font)
    draw.rectangle([left, top, W - right, H - bottom], outline="black")

    legend_w = 8 + 6 * max(len(f"{n} (0.00000)") for n in clean)
    draw.rectangle([W - right - legend_w - 20, top + 2, W - right - 2, top + 10 + 14 * len(clean)], fill="white", outline=(200, 200, 200))
    layers = []
    for i, (name, pts) in enumerate(clean.items()):
        color = PALETTE[i % len(PALETTE)]
        pts = sorted(pts)
        if smooth > 0 and len(pts) > 1:
            faint = tuple(int(c + (255 - c) * 0.7) for c in color)
            layers.append((faint, pts, None, i))
            layers.append((color, ema(pts, smooth), name, i))
        else:
            layers.append((color, pts, name, i))
    for color, pts, name, i in layers:
        if len(pts) > pw:  # decimate: min and max per pixel column
            cols: dict[int, list[float]] = {}
            for x, y in pts:
                cols.setdefault(int(sx(x)), []).append(fy(y))
            xy = []
            for c in sorted(cols):
                xy += [(c, sy(min(cols[c]))), (c, sy(max(cols[c])))]
        else:
            xy = [(sx(x), sy(fy(y))) for x, y in pts]
        if len(xy) == 1:
            draw.ellipse([xy[0][0] - 2, xy[0][1] - 2, xy[0][0] + 2, xy[0][1] + 2], fill=color)
        else:
            draw.line(xy, fill=color, width=2)
        if name is None:
            continue
        last = f"{name} ({_fmt(pts[-1][1])})" if pts else name
        draw.rectangle([W - right - legend_w - 14, top + 8 + 14 * i, W - right - legend_w - 4, top + 16 + 14 * i], fill=color)
        draw.text((W - right - legend_w, top + 6 + 14 * i), last, fill="black", font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path
