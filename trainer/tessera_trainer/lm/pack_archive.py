"""A pack as one xz archive, for carrying to a lent accelerator, whose calls take at most 64 MiB of
working tree, the repo's own ~42 MB included. A 60k-episode pack is 26.6 MB as files; as an archive
~10 MB, so two fit beside the repo.

    python -m tessera_trainer.lm pack-archive write PACK OUT.tar.xz
    python -m tessera_trainer.lm pack-archive read OUT.tar.xz PACK

Inside, the codes are stored as plain uint16 (`codes.npy`) instead of images.npy's 10-bit packing:
xz finds the repeats (backgrounds, shared strokes) in whole 16-bit values, not in bit-packed ones
(measured on 6,000 images: 0.89 MB against 1.02 MB). `read` packs them back, so the pack it writes is
byte-identical to the one archived.
"""
import io
import json
import tarfile
from pathlib import Path

import numpy as np

from .pack import FORMAT, pack_codes, unpack_codes

PLAIN_FILES = ("pack.json", "keys.txt", "tokens.npy", "flags.npy", "refs.npy", "episodes.npy")


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def write_archive(pack_dir: str | Path, out: str | Path, preset: int = 6) -> int:
    """Archives PACK into OUT (.tar.xz); returns OUT's size in bytes."""
    pack_dir, out = Path(pack_dir), Path(out)
    info = json.loads((pack_dir / "pack.json").read_text())
    if info.get("format") != FORMAT:
        raise ValueError(f"{pack_dir} is not a {FORMAT}")
    images = np.load(pack_dir / "images.npy")
    codes = unpack_codes(images, info["code_bits"], info["image_tokens"]).astype(np.uint16)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out, "w:xz", preset=preset) as tar:
        for name in PLAIN_FILES:
            tar.add(pack_dir / name, arcname=name)
        data = _npy_bytes(codes)
        entry = tarfile.TarInfo("codes.npy")
        entry.size = len(data)
        tar.addfile(entry, io.BytesIO(data))
    return out.stat().st_size


def read_archive(archive: str | Path, out: str | Path) -> Path:
    """Unpacks ARCHIVE into the pack folder OUT (the files `Pack` reads); returns OUT."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:xz") as tar:
        names = set(tar.getnames())
        missing = [n for n in (*PLAIN_FILES, "codes.npy") if n not in names]
        if missing:
            raise ValueError(f"{archive} is not a pack archive (missing {', '.join(missing)})")
        for name in PLAIN_FILES:
            (out / name).write_bytes(tar.extractfile(name).read())
        codes = np.load(io.BytesIO(tar.extractfile("codes.npy").read()))
    info = json.loads((out / "pack.json").read_text())
    np.save(out / "images.npy", pack_codes(codes, info["code_bits"]))
    return out


def main(argv: list[str]) -> None:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m tessera_trainer.lm pack-archive", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="action", required=True)
    w = sub.add_parser("write", help="PACK -> ARCHIVE (.tar.xz)")
    w.add_argument("pack")
    w.add_argument("archive")
    r = sub.add_parser("read", help="ARCHIVE -> PACK folder")
    r.add_argument("archive")
    r.add_argument("pack")
    args = ap.parse_args(argv)
    if args.action == "write":
        size = write_archive(args.pack, args.archive)
        print(f"{args.archive}: {size / 1e6:.1f} MB")
    else:
        print(read_archive(args.archive, args.pack))
