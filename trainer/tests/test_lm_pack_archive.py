import tarfile
import tempfile
import unittest
from pathlib import Path

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.pack import Pack
from tessera_trainer.lm.pack_archive import read_archive, write_archive
from tessera_trainer.lm.synthetic import synthetic_pack

from .test_lm_config import FIXTURE


class PackArchiveTest(unittest.TestCase):
    def test_round_trip_is_byte_identical(self):
        cfg = LMConfig.load(FIXTURE)
        with tempfile.TemporaryDirectory() as d:
            pack = synthetic_pack(d, cfg, samples=6)
            size = write_archive(pack, Path(d) / "pack.tar.xz")
            self.assertEqual(size, (Path(d) / "pack.tar.xz").stat().st_size)
            back = read_archive(Path(d) / "pack.tar.xz", Path(d) / "back")
            originals = sorted(p.name for p in pack.iterdir())
            self.assertEqual(sorted(p.name for p in back.iterdir()), originals)
            for name in originals:
                self.assertEqual((back / name).read_bytes(), (pack / name).read_bytes(), name)
            self.assertEqual(len(Pack(back, cfg)), len(Pack(pack, cfg)))

    def test_refuses_what_is_not_a_pack_archive(self):
        with tempfile.TemporaryDirectory() as d:
            with tarfile.open(Path(d) / "other.tar.xz", "w:xz") as tar:
                tar.add(FIXTURE, arcname="config.json")
            with self.assertRaisesRegex(ValueError, "not a pack archive"):
                read_archive(Path(d) / "other.tar.xz", Path(d) / "out")
            with self.assertRaisesRegex(ValueError, "is not a tessera-lm-pack"):
                (Path(d) / "empty").mkdir()
                (Path(d) / "empty" / "pack.json").write_text("{}")
                write_archive(Path(d) / "empty", Path(d) / "x.tar.xz")
