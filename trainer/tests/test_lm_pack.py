import json
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

from tessera_trainer.data.webdataset import write_shard
from tessera_trainer.lm.batches import BatchSampler, TaskMix, collate
from tessera_trainer.lm.config import TASKS, LMConfig
from tessera_trainer.lm.pack import Pack, build_pack, open_packs, pack_codes, unpack_codes
from tessera_trainer.lm.synthetic import StubCodec, synthetic_pack

from .test_lm_config import FIXTURE


class PackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cfg = LMConfig.load(FIXTURE)
        cls.pack_dir = synthetic_pack(cls.tmp.name, cls.cfg, samples=12)
        cls.pack = Pack(cls.pack_dir, cls.cfg)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_code_bit_packing_round_trips(self):
        rng = np.random.default_rng(0)
        for bits in (8, 10, 13):
            codes = rng.integers(0, 2 ** bits, (5, 256))
            packed = pack_codes(codes, bits)
            self.assertEqual(packed.shape, (5, 256 * bits // 8))
            np.testing.assert_array_equal(unpack_codes(packed, bits, 256), codes)

    def test_counts_and_shared_images(self):
        info = json.loads((self.pack_dir / "pack.json").read_text())
        self.assertEqual(info["counts"]["episodes"], 12 * 5)
        self.assertEqual(info["counts"]["images"], 12 * 2)  # five episodes per sample share img0/img1
        self.assertEqual(len(self.pack.keys), 12)

    def test_t2i_episode_expands_to_boi_codes_eoi(self):
        i = int(np.flatnonzero(self.pack.task == 0)[0])
        ids, loss, drop = self.pack.episode(i)
        cfg = self.cfg
        self.assertEqual(list(ids[:3]), [cfg.bos, cfg.tasks["t2i"], cfg.user])
        boi = int(np.flatnonzero(ids == cfg.boi)[0])
        self.assertEqual(ids[boi - 1], cfg.assistant)
        codes = ids[boi + 1:boi + 257]
        self.assertTrue(((codes >= cfg.image_start) & (codes < cfg.image_end)).all())
        self.assertEqual(list(ids[boi + 257:]), [cfg.eoi, cfg.end_turn])
        self.assertTrue(loss[boi:].all() and not loss[:boi].any())  # the image and its end_turn, nothing else
        self.assertTrue(drop.any() and (ids[drop] < cfg.text_vocab_size).all())
        dropped, _, _ = self.pack.episode(i, drop=True)
        self.assertEqual(len(dropped), len(ids) - drop.sum())
        self.assertEqual(self.pack.prompt(i, drop=True)[-4:], [cfg.tasks["t2i"], cfg.user, cfg.end_turn, cfg.assistant])
        np.testing.assert_array_equal(self.pack.image_codes(i) + cfg.image_start, codes)
        self.assertEqual(len(ids), self.pack.lengths[i])

    def test_stub_codes_match_the_image(self):
        from tessera_trainer.data import decode_png
        from tessera_trainer.data.webdataset import iter_tar_samples
        sample = next(iter_tar_samples(sorted((Path(self.tmp.name) / "shards").glob("*.tar"))[0]))
        codes = StubCodec(self.cfg.codebook_size).encode(decode_png(sample["img0.png"])[None]).flatten().numpy()
        row = self.pack.keys.index(sample["__key__"])
        t2i = [i for i in range(len(self.pack)) if self.pack.episodes[i, 5] == row and self.pack.task[i] == 0][0]
        np.testing.assert_array_equal(self.pack.image_codes(t2i), codes)

    def test_skip_samples_continues_where_a_first_pack_stopped(self):
        with tempfile.TemporaryDirectory() as d:
            build_pack(Path(self.tmp.name) / "shards", StubCodec(self.cfg.codebook_size), self.cfg, Path(d) / "rest",
                       skip_samples=5, log_every=0)
            rest = Pack(Path(d) / "rest", self.cfg)
            self.assertEqual(rest.keys, self.pack.keys[5:])
            first = int(np.flatnonzero(self.pack.episodes[:, 5] == 5)[0])
            for i in range(len(rest)):
                np.testing.assert_array_equal(rest.episode(i)[0], self.pack.episode(first + i)[0])

    def test_joined_packs_read_every_episode_of_each(self):
        with tempfile.TemporaryDirectory() as d:
            other_dir = synthetic_pack(d, self.cfg, samples=5, seed=7)
            other = Pack(other_dir, self.cfg)
            joined = open_packs(f"{self.pack_dir},{other_dir}", self.cfg)
            self.assertEqual(len(joined), len(self.pack) + len(other))
            self.assertEqual(len(joined.keys), len(self.pack.keys) + len(other.keys))
            for i in (0, len(self.pack) - 1):
                np.testing.assert_array_equal(joined.episode(i)[0], self.pack.episode(i)[0])
            for i in range(len(other)):  # offsets of tokens, image refs and samples all shifted
                j = len(self.pack) + i
                for a, b in zip(joined.episode(j), other.episode(i)):
                    np.testing.assert_array_equal(a, b)
                self.assertEqual(joined.keys[joined.episodes[j, 5]], other.keys[other.episodes[i, 5]])
                if other.episodes[i, 3]:
                    np.testing.assert_array_equal(joined.image_codes(j), other.image_codes(i))
            np.testing.assert_array_equal(joined.lengths[len(self.pack):], other.lengths)
            with self.assertRaisesRegex(ValueError, "named twice"):
                open_packs(f"{self.pack_dir},{self.pack_dir}/", self.cfg)

    def test_skips_unencoded_and_rejects_image_ids_in_text(self):
        with tempfile.TemporaryDirectory() as d:
            write_shard(Path(d) / "s" / "shard-000000.tar", [{"__key__": "a", "json": json.dumps({"episodes": [{"task": "t2i", "segments": []}]})}])
            with self.assertRaisesRegex(ValueError, "without a tokenizer"):
                build_pack(Path(d) / "s", StubCodec(self.cfg.codebook_size), self.cfg, Path(d) / "p")
            bad = {"task": "i2t", "segments": [], "encoded": [{"ids": [self.cfg.image_start], "loss": True}]}
            write_shard(Path(d) / "s" / "shard-000000.tar", [{"__key__": "a", "json": json.dumps({"episodes": [bad]})}])
            with self.assertRaisesRegex(ValueError, "cannot appear"):
                build_pack(Path(d) / "s", StubCodec(self.cfg.codebook_size), self.cfg, Path(d) / "p")

    def test_batches_respect_the_token_budget_and_mix(self):
        sampler = BatchSampler(self.pack, np.arange(len(self.pack)), TaskMix.parse("t2i=1,i2t=1"), batch_tokens=1200, seed=0, pool=64)
        seen = set()
        for _ in range(10):
            x, y, mask, task = sampler.next()
            self.assertTrue(x.numel() <= 1200 or x.shape[0] == 1)
            self.assertEqual(x.shape[1] % 16, 0)
            seen |= set(task.tolist())
            self.assertTrue((mask.sum(1) > 0).all())
        self.assertEqual(seen, {0, 1})

    def test_context_image_codes_carry_the_given_weight(self):
        """With context_image_loss, codes an episode only reads become weighted targets; targets keep 1,
        text context and padding 0. Without it the mask is the target segments alone."""
        cfg = self.pack.cfg
        kw = dict(batch_tokens=1200, seed=0, pool=64, cond_dropout=0.0)
        plain = BatchSampler(self.pack, np.arange(len(self.pack)), TaskMix.parse("i2t=1"), **kw)
        weighted = BatchSampler(self.pack, np.arange(len(self.pack)), TaskMix.parse("i2t=1"), context_image_loss=0.25, **kw)
        for _ in range(3):
            x, y, mask, _ = plain.next()
            x2, y2, mask2, _ = weighted.next()
            self.assertTrue(torch.equal(x, x2) and torch.equal(y, y2))
            code = (y >= cfg.image_start) & (y < cfg.image_end)
            self.assertEqual(set(mask.unique().tolist()) - {0.0, 1.0}, set())
            self.assertTrue(((mask == 0) & code).any(), "an i2t batch reads image codes")
            self.assertTrue(torch.equal(mask2[mask > 0], mask[mask > 0]))
            self.assertTrue(torch.equal(mask2[(mask == 0) & code], torch.full_like(mask2[(mask == 0) & code], 0.25)))
            self.assertTrue((mask2[(mask == 0) & ~code] == 0).all())

    def test_an_edits_changed_codes_carry_the_given_weight(self):
        """With edit_change_weight, an edit's target codes that differ from its source's at the same place
        weigh that much; its copied codes and every other task's targets keep 1."""
        cfg = self.pack.cfg
        kw = dict(batch_tokens=4000, seed=0, pool=64, cond_dropout=0.0)
        edit = TASKS.index("edit")
        for mix in ("edit=1", "t2i=1,i2t=1"):
            plain = BatchSampler(self.pack, np.arange(len(self.pack)), TaskMix.parse(mix), **kw)
            weighted = BatchSampler(self.pack, np.arange(len(self.pack)), TaskMix.parse(mix), edit_change_weight=3.0, **kw)
            for _ in range(3):
                x, y, mask, task = plain.next()
                x2, y2, mask2, _ = weighted.next()
                self.assertTrue(torch.equal(x, x2) and torch.equal(y, y2))
                if mix != "edit=1":
                    self.assertTrue(torch.equal(mask, mask2))
                    continue
                self.assertTrue((task == edit).all())
                for b in range(x.shape[0]):
                    slots = (x[b] == cfg.boi).nonzero()[:, 0]
                    source, target = int(slots[0]) + 1, int(slots[-1]) + 1
                    n = cfg.image_tokens
                    # y[k] = x[k + 1]: the target's codes are y[target - 1 : target - 1 + n].
                    changed = x[b, target:target + n] != x[b, source:source + n]
                    got = mask2[b, target - 1:target - 1 + n]
                    self.assertTrue(changed.any() and (~changed).any(), "the synthetic edit changes some codes, not all")
                    self.assertTrue(torch.equal(got[changed], torch.full_like(got[changed], 3.0)))
                    self.assertTrue(torch.equal(got[~changed], torch.ones_like(got[~changed])))
                    outside = torch.ones_like(mask[b], dtype=torch.bool)
                    outside[target - 1:target - 1 + n] = False
                    self.assertTrue(torch.equal(mask2[b][outside], mask[b][outside]))

    def test_collate_shifts_targets(self):
        x, y, mask = collate([(np.array([1, 2, 3]), np.array([False, True, True]))], pad_id=0, pad_multiple=4)
        self.assertEqual(x.tolist(), [[1, 2, 0, 0]])
        self.assertEqual(y.tolist(), [[2, 3, 0, 0]])
        self.assertEqual(mask.tolist(), [[1, 1, 0, 0]])


if __name__ == "__main__":
    unittest.main()


class RealVQPackTest(unittest.TestCase):
    """pack through tessera_trainer.vq.load_vq, with an untrained tiny VQ saved to disk."""

    def test_pack_with_a_saved_vq(self):
        import torch

        from tessera_trainer.common.checkpoint import save_weights
        from tessera_trainer.lm.codec import load_codec
        from tessera_trainer.lm.config import SPECIALS, TASKS
        from tessera_trainer.lm.synthetic import write_episode_shards
        from tessera_trainer.vq.config import as_dict, preset
        from tessera_trainer.vq.model import VQModel

        torch.manual_seed(0)
        vq_cfg = preset("tiny").model
        raw = json.loads(FIXTURE.read_text())  # the fixture's config, re-laid for the tiny VQ's codebook
        k, t = vq_cfg.codebook_size, raw["vocab"]["text"]["size"]
        raw["vocab"].update(size=t + k + len(SPECIALS) + len(TASKS), image={"start": t, "size": k},
                            specials={n: t + k + i for i, n in enumerate(SPECIALS)},
                            tasks={n: t + k + len(SPECIALS) + i for i, n in enumerate(TASKS)})
        cfg = LMConfig.from_dict(raw)
        with tempfile.TemporaryDirectory() as d:
            save_weights(Path(d) / "vq" / "weights.pt", VQModel(vq_cfg), {"model": as_dict(vq_cfg)})
            write_episode_shards(Path(d) / "shards", cfg, samples=3, tasks=("t2i", "edit"))
            info = build_pack(Path(d) / "shards", load_codec(Path(d) / "vq"), cfg, Path(d) / "pack", log_every=0)
            self.assertEqual(info["counts"]["images"], 6)
            pack = Pack(Path(d) / "pack", cfg)
            self.assertEqual(pack.info["code_bits"], 6)
            self.assertEqual(len(pack.episode(0)[0]), pack.lengths[0])
