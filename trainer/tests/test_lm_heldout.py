import io
import json
import unittest
from contextlib import redirect_stdout
from pathlib import Path

import torch

from tessera_trainer.common.checkpoint import save_checkpoint, save_weights
from tessera_trainer.lm.batches import fixed_batches
from tessera_trainer.lm.heldout import edit_loss, heldout
from tessera_trainer.lm.heldout import main as heldout_main
from tessera_trainer.lm.model import LM, load_lm
from tessera_trainer.lm.config import TASKS
from tessera_trainer.lm.pack import open_packs
from tessera_trainer.lm.train import TrainConfig, evaluate, split

from .synthetic_pack_case import SyntheticPackCase
from .test_lm_config import FIXTURE


class HeldoutTest(SyntheticPackCase):
    samples = 40

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        torch.manual_seed(0)
        cls.model = LM(cls.cfg).eval()
        cls.weights = Path(cls.tmp.name) / "weights.safetensors"
        save_weights(cls.weights, cls.model, dtype=torch.float32)

    def test_scores_the_val_set_as_training_does(self):
        [row] = heldout(self.model, [str(self.pack)], episodes=8)
        pack = open_packs(str(self.pack), self.cfg)
        _, val = split(pack, TrainConfig().val_fraction)
        expected = evaluate(self.model, fixed_batches(pack, val[:8], TrainConfig().batch_tokens), torch.device("cpu"), code_softmax=True)
        self.assertEqual(row["episodes"], min(8, len(val)))
        self.assertEqual({k: v for k, v in row.items() if k.startswith("val_")}, expected)
        self.assertNotIn("t2i_by_class", row)

    def test_the_train_split_scores_a_fixed_draw_of_training_episodes(self):
        pack = open_packs(str(self.pack), self.cfg)
        train, val = split(pack, TrainConfig().val_fraction)
        [row] = heldout(self.model, [str(self.pack)], episodes=6, split_name="train")
        self.assertEqual((row["split"], row["episodes"]), ("train", 6))
        self.assertEqual(heldout(self.model, [str(self.pack)], episodes=6, split_name="train"), [row])  # the same draw
        # it is the training episodes that were scored: their losses, not the val set's
        [val_row] = heldout(self.model, [str(self.pack)], episodes=6)
        self.assertNotEqual({k: v for k, v in row.items() if k.startswith("val_")}, {k: v for k, v in val_row.items() if k.startswith("val_")})
        self.assertTrue(set(train).isdisjoint(val))

    def test_class_loss_counts_a_class_as_one_code(self):
        K = self.cfg.codebook_size
        [same] = heldout(self.model, [str(self.pack)], episodes=40, canonical=torch.arange(K))
        self.assertGreater(same["t2i_codes"], 0)
        self.assertAlmostEqual(same["t2i_by_class"], same["t2i_exact"], places=3)  # every code its own class
        [one] = heldout(self.model, [str(self.pack)], episodes=40, canonical=torch.zeros(K, dtype=torch.int64))
        self.assertAlmostEqual(one["t2i_by_class"], 0.0, places=4)  # one class holds every code: certain
        [pairs] = heldout(self.model, [str(self.pack)], episodes=40, canonical=torch.arange(K) // 2 * 2)
        self.assertLess(pairs["t2i_by_class"], same["t2i_exact"])
        with self.assertRaises(ValueError):
            heldout(self.model, [str(self.pack)], canonical=torch.arange(K + 1))

    def test_class_loss_splits_the_page_from_what_is_drawn(self):
        K = self.cfg.codebook_size
        [row] = heldout(self.model, [str(self.pack)], episodes=40, canonical=torch.arange(K))
        drawn = row["t2i_codes"] - row["t2i_page_codes"]
        self.assertGreater(row["t2i_page_codes"], 0)
        self.assertGreater(drawn, 0)
        # the two parts average back to the whole
        whole = (row["t2i_page"] * row["t2i_page_codes"] + row["t2i_drawn"] * drawn) / row["t2i_codes"]
        self.assertAlmostEqual(whole, row["t2i_by_class"], places=3)
        [one] = heldout(self.model, [str(self.pack)], episodes=40, canonical=torch.zeros(K, dtype=torch.int64))
        self.assertEqual(one["t2i_page_codes"], one["t2i_codes"], "one class: every code is the page")

    def test_cli_reads_weights_and_checkpoints(self):
        ckpt = save_checkpoint(Path(self.tmp.name) / "run", self.model, None, step=3, config={})
        for source in (self.weights, ckpt):
            self.assertTrue(torch.equal(load_lm(self.cfg, source).tok_emb.weight, self.model.tok_emb.weight), source.name)
        out = io.StringIO()
        with redirect_stdout(out):
            heldout_main(["--weights", str(ckpt), "--pack", str(self.pack), "--pack", str(self.pack), "--config", str(FIXTURE), "--episodes", "4"])
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0], rows[1])


if __name__ == "__main__":
    unittest.main()


class EditLossTest(SyntheticPackCase):
    samples = 40

    def test_edits_split_into_copied_and_changed_codes_that_add_up_to_the_edit_targets(self):
        torch.manual_seed(0)
        model = LM(self.cfg).eval()
        pack = open_packs(str(self.pack), self.cfg)
        edits = [i for i in range(len(pack)) if TASKS[pack.task[i]] == "edit"][:6]
        split_row = edit_loss(model, pack, edits)
        n = self.cfg.image_tokens
        self.assertEqual(split_row["edit_copied_codes"] + split_row["edit_changed_codes"], n * len(edits))
        self.assertGreater(split_row["edit_copied_codes"], 0)
        self.assertGreater(split_row["edit_changed_codes"], 0)
        # By hand for one edit: the changed codes' mean loss among the codes.
        ids = torch.from_numpy(pack.episode(int(edits[0]))[0].astype("int64"))
        slots = (ids == self.cfg.boi).nonzero()[:, 0]
        source, target = int(slots[0]) + 1, int(slots[-1]) + 1
        logits = model(ids[None, :-1])[0, target - 1:target - 1 + n, self.cfg.image_start:self.cfg.image_end]
        nll = -torch.log_softmax(logits.float(), 1).gather(1, (ids[target:target + n] - self.cfg.image_start)[:, None])[:, 0]
        changed = ids[target:target + n] != ids[source:source + n]
        one = edit_loss(model, pack, edits[:1])
        self.assertAlmostEqual(one["edit_changed"], float(nll[changed].mean()), places=3)
        self.assertAlmostEqual(one["edit_copied"], float(nll[~changed].mean()), places=3)
        self.assertEqual(edit_loss(model, pack, []), {"edit_copied_codes": 0, "edit_changed_codes": 0})
