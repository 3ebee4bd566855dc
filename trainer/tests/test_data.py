import io
import json
import tempfile
import unittest
from contextlib import redirect_stderr
from pathlib import Path

import torch
from PIL import Image
from torch.utils.data import DataLoader

from tessera_trainer.data import ImageStream, ShardStream, iter_tar_samples, list_shards
from tessera_trainer.data.images import decode_png, layout_of, to_uint8
from tessera_trainer.data.synthetic import png_bytes, write_synthetic_shards
from tessera_trainer.data.webdataset import split_member, write_shard


def keys(stream) -> list[str]:
    return [s["__key__"] for s in stream]


class TarTest(unittest.TestCase):
    def test_split_member(self):
        self.assertEqual(split_member("s000001.img0.png"), ("s000001", "img0.png"))
        self.assertEqual(split_member("dir.x/s1.json"), ("dir.x/s1", "json"))
        self.assertEqual(split_member("noext"), ("noext", ""))

    def test_groups_members_by_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_shard(Path(tmp) / "a.tar", [
                {"__key__": "k1", "img0.png": b"A", "img1.png": b"B", "json": "{}"},
                {"__key__": "k2", "img0.png": b"C"},
            ])
            samples = list(iter_tar_samples(path))
            self.assertEqual([s["__key__"] for s in samples], ["k1", "k2"])
            self.assertEqual(samples[0]["img1.png"], b"B")
            self.assertEqual(samples[0]["json"], b"{}")
            self.assertEqual(set(samples[1]) - {"__key__", "__shard__"}, {"img0.png"})
            self.assertEqual(list_shards(tmp), [path])


class ShardStreamTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name) / "shards"
        write_synthetic_shards(cls.dir, samples=24, per_shard=6, seed=1)  # 4 shards
        cls.all = sorted(keys(ShardStream(cls.dir, shuffle=False)))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_epoch_is_a_permutation_and_seeded(self):
        a = keys(ShardStream(self.dir, seed=1, buffer=8))
        self.assertEqual(sorted(a), self.all)
        self.assertEqual(len(self.all), 24)
        self.assertEqual(a, keys(ShardStream(self.dir, seed=1, buffer=8)))
        self.assertNotEqual(a, keys(ShardStream(self.dir, seed=2, buffer=8)))

    def test_epochs_differ_and_repeat_all(self):
        two = keys(ShardStream(self.dir, seed=0, epochs=2, buffer=4))
        self.assertEqual(sorted(two[:24]), self.all)
        self.assertEqual(sorted(two[24:]), self.all)
        self.assertNotEqual(two[:24], two[24:])

    def test_exclude(self):
        got = keys(ShardStream(self.dir, exclude={"shard-000000.tar"}))
        self.assertEqual(len(got), 18)
        self.assertFalse(set(got) & set(keys(ShardStream(self.dir / "shard-000000.tar"))))

    def test_workers_split_shards_without_duplicates(self):
        loader = DataLoader(ShardStream(self.dir, seed=3), batch_size=None, num_workers=2, collate_fn=lambda s: s["__key__"])
        got = list(loader)
        self.assertEqual(sorted(got), self.all)

    def test_workers_split_samples_of_a_single_shard(self):
        one = self.dir / "shard-000001.tar"
        loader = DataLoader(ShardStream(one), batch_size=None, num_workers=2, collate_fn=lambda s: s["__key__"])
        self.assertEqual(sorted(loader), sorted(keys(ShardStream(one))))

    def test_truncated_shard_is_skipped(self):
        with tempfile.TemporaryDirectory() as tmp:
            good = write_synthetic_shards(tmp, samples=4, per_shard=4, seed=2, prefix="good")[0]
            data = good.read_bytes()
            (Path(tmp) / "bad.tar").write_bytes(data[: len(data) // 2 + 100])
            with redirect_stderr(io.StringIO()) as err:
                got = keys(ShardStream(tmp, shuffle=False))
            self.assertIn("skipping", err.getvalue())
            self.assertGreaterEqual(len(got), 4)  # all of good.tar, and whatever of bad.tar was whole


class ImageStreamTest(unittest.TestCase):
    def test_images_and_meta(self):
        with tempfile.TemporaryDirectory() as tmp:
            write_synthetic_shards(tmp, samples=3, per_shard=3, images=2, seed=4)
            pairs = list(ImageStream(tmp, shuffle=False, with_meta=True))
            self.assertEqual(len(pairs), 6)  # img0 and img1 of each sample
            x, meta = pairs[0]
            self.assertEqual(x.shape, (3, 128, 128))
            self.assertEqual(x.dtype, torch.float32)
            self.assertGreaterEqual(x.min().item(), -1.0)
            self.assertEqual(x.max().item(), 1.0)  # white background
            self.assertEqual(meta["field"], "img0")
            self.assertIn(meta["layout"], {"1x1", "2x2", "4x4"})
            only0 = list(ImageStream(tmp, shuffle=False, fields=["img0"]))
            self.assertEqual(len(only0), 3)

    def test_decode_letterbox_and_alpha(self):
        wide = Image.new("RGB", (200, 100), (255, 0, 0))
        x = decode_png(png_bytes(wide))
        px = to_uint8(x)
        self.assertEqual(px.shape, (128, 128, 3))
        self.assertEqual(px[5, 64].tolist(), [255, 255, 255])
        self.assertEqual(px[64, 64].tolist(), [255, 0, 0])
        clear = Image.new("RGBA", (128, 128), (0, 0, 0, 0))
        self.assertEqual(decode_png(png_bytes(clear)).min().item(), 1.0)

    def test_layout_forms(self):
        grid = {"json": json.dumps({"scenes": {"img0": {"layout": {"kind": "grid", "rows": 4, "cols": 4}}}}).encode()}
        self.assertEqual(layout_of(grid, "img0"), "4x4")
        single = {"json": json.dumps({"scenes": {"img0": {"layout": {"kind": "single"}}}}).encode()}
        self.assertEqual(layout_of(single, "img0"), "single")
        self.assertIsNone(layout_of({"json": b"not json"}, "img0"))
        self.assertIsNone(layout_of({}, "img0"))

    def test_corrupt_png_is_skipped(self):
        with tempfile.TemporaryDirectory() as tmp:
            write_shard(Path(tmp) / "x.tar", [{"__key__": "a", "img0.png": b"nope"},
                                              {"__key__": "b", "img0.png": png_bytes(Image.new("RGB", (128, 128)))}])
            with redirect_stderr(io.StringIO()):
                self.assertEqual(len(list(ImageStream(tmp, shuffle=False))), 1)


if __name__ == "__main__":
    unittest.main()
