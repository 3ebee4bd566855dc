"""A small streaming WebDataset reader.

A shard is a tar file; a sample is the run of consecutive members sharing a key, the member name up
to the first dot: `s000001.img0.png` -> key `s000001`, field `img0.png`. Members are read with
tarfile's stream mode ('r|'), so a shard is never seeked or loaded whole.

    for sample in ShardStream("/root/.cache/tessera/shards/world-v1", seed=0):
        sample["__key__"], sample["img0.png"], sample["json"]  # bytes

Order per epoch: shards shuffled with (seed, epoch); `interleave` shards open at once and read
round-robin; then a shuffle buffer of `buffer` samples. Under torch DataLoader workers and DDP, each
(rank, worker) reads a disjoint slice of the shards, or of the samples when there are fewer shards
than readers (so tests with one shard still work with two workers).
"""
import random
import sys
import tarfile
from pathlib import Path
from typing import Iterator

import torch
from torch.utils.data import IterableDataset, get_worker_info


def split_member(name: str) -> tuple[str, str]:
    """'dir/s000001.img0.png' -> ('dir/s000001', 'img0.png'); the dot is searched in the basename only."""
    slash = name.rfind("/") + 1
    dot = name.find(".", slash)
    if dot < 0:
        return name, ""
    return name[:dot], name[dot + 1:]


def iter_tar_samples(path: str | Path) -> Iterator[dict]:
    """Yields {'__key__': key, '__shard__': path, field: bytes, ...} per sample of one tar file."""
    current: dict | None = None
    with tarfile.open(path, mode="r|*") as tar:
        for member in tar:
            if not member.isfile():
                continue
            key, field = split_member(member.name)
            if not field or Path(key).name.startswith("."):  # macOS `._x` droppings and the like
                continue
            data = tar.extractfile(member).read()
            if current is not None and current["__key__"] != key:
                yield current
                current = None
            if current is None:
                current = {"__key__": key, "__shard__": str(path)}
            current[field] = data
    if current is not None:
        yield current


def list_shards(source: str | Path | list) -> list[Path]:
    """A folder (its *.tar, sorted), a single .tar, or a list of either."""
    if isinstance(source, (list, tuple)):
        return [p for s in source for p in list_shards(s)]
    p = Path(source).expanduser()
    if p.is_dir():
        return sorted(p.glob("*.tar"))
    if p.exists():
        return [p]
    raise FileNotFoundError(f"no shards at {p}")


def reader_slot() -> tuple[int, int]:
    """(index, count) of this reader among all DDP ranks x DataLoader workers."""
    rank, world = 0, 1
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
    info = get_worker_info()
    worker, workers = (info.id, info.num_workers) if info is not None else (0, 1)
    return rank * workers + worker, world * workers


class ShardStream(IterableDataset):
    """Streams samples (dicts of field -> bytes) from WebDataset tar shards.

    epochs=None streams forever; the shard list is re-read every epoch, so shards that a renderer
    adds during a long run are picked up. A shard that cannot be read (still being written,
    truncated) is skipped with a warning instead of ending the run.
    """

    def __init__(self, source, seed: int = 0, epochs: int | None = 1, shuffle: bool = True,
                 buffer: int = 256, interleave: int = 4, start_epoch: int = 0, exclude: set[str] | None = None):
        self.source, self.seed, self.epochs, self.shuffle = source, seed, epochs, shuffle
        self.buffer, self.interleave, self.start_epoch = buffer, interleave, start_epoch
        self.exclude = set(exclude or ())  # shard file names to skip (held-out shards)

    def _epoch_shards(self, epoch: int) -> tuple[list[Path], int, int]:
        """This reader's shards for an epoch, plus (stride, offset) for sample-level splitting."""
        shards = [p for p in list_shards(self.source) if p.name not in self.exclude]
        if self.shuffle:
            random.Random(self.seed * 1_000_003 + epoch).shuffle(shards)
        slot, slots = reader_slot()
        if len(shards) >= slots:
            return shards[slot::slots], 1, 0
        return shards, slots, slot

    def _read(self, shards: list[Path], interleave: int) -> Iterator[dict]:
        """Round-robin over up to `interleave` open shards."""
        pending = list(shards)
        open_iters: list[Iterator[dict]] = []
        while pending or open_iters:
            while pending and len(open_iters) < interleave:
                open_iters.append(iter_tar_samples(pending.pop(0)))
            for it in list(open_iters):
                try:
                    yield next(it)
                except StopIteration:
                    open_iters.remove(it)
                except (tarfile.TarError, OSError, EOFError) as e:
                    print(f"[data] skipping rest of a shard: {e}", file=sys.stderr)
                    open_iters.remove(it)

    def __iter__(self) -> Iterator[dict]:
        epoch = self.start_epoch
        while self.epochs is None or epoch < self.start_epoch + self.epochs:
            shards, stride, offset = self._epoch_shards(epoch)
            slot_seed = self.seed * 1_000_003 + epoch * 7919 + reader_slot()[0]
            rng = random.Random(slot_seed)
            interleave = self.interleave if self.shuffle else 1
            buf: list[dict] = []
            n = 0
            for i, sample in enumerate(self._read(shards, interleave)):
                if i % stride != offset:
                    continue
                sample["__epoch__"] = epoch
                n += 1
                if not self.shuffle or self.buffer <= 1:
                    yield sample
                    continue
                if len(buf) < self.buffer:
                    buf.append(sample)
                    continue
                j = rng.randrange(len(buf))
                buf[j], sample = sample, buf[j]
                yield sample
            rng.shuffle(buf)
            yield from buf
            if n == 0 and self.epochs is None:
                raise RuntimeError(f"no samples in {self.source} for reader {reader_slot()}")
            epoch += 1


def write_shard(path: str | Path, samples: list[dict]) -> Path:
    """Writes samples ({'__key__': key, field: bytes | str}) as one tar; the inverse of iter_tar_samples.
    Written to a .tmp name and renamed, so readers globbing *.tar never see half a shard."""
    import io
    import time

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tarfile.open(tmp, "w") as tar:
        for sample in samples:
            for field, data in sample.items():
                if field.startswith("__"):
                    continue
                data = data.encode() if isinstance(data, str) else data
                info = tarfile.TarInfo(f"{sample['__key__']}.{field}")
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
                tar.addfile(info, io.BytesIO(data))
    tmp.replace(path)
    return path
