"""scripts/train-default-model.sh lm-packs: the packs the CPU run reads, and what an accelerator carries."""
import os
import subprocess
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train-default-model.sh"
CHOICES = ("TESSERA_PACK", "TESSERA_STARTER_SEEDS", "TESSERA_STARTER2_SEEDS", "TESSERA_STARTER3_SEEDS")


def lm_packs(**choices: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in CHOICES}
    env.update(TESSERA_CACHE="/cache", **choices)
    out = subprocess.run(["bash", str(SCRIPT), "lm-packs"], env=env, capture_output=True, text=True, check=True).stdout
    return out.strip().split(",")


def packs(*names: str) -> list[str]:
    return [f"/cache/packs/{name}" for name in names]


class LmPacksTest(unittest.TestCase):
    def test_the_default_mix_is_the_starter_its_second_and_third_steps_and_the_free_step(self):
        mix = lm_packs()
        self.assertEqual(mix[:2], packs("lm-starter-f", "lm-starter-g"), "F first: its held-out episodes are the run's val")
        self.assertEqual(len(set(mix)), len(mix))
        self.assertEqual(len(mix), 36)
        for step, seeds in ((2, (21, 22, 23, 27)), (3, (24, 25, 26, 28, 29)), ("free", (30, 31))):
            self.assertEqual([p for p in mix if f"/lm-starter{step}-" in p],
                             packs(*(f"lm-starter{step}-s{seed}{half}" for seed in seeds for half in "ab")))

    def test_seeds_of_each_step_are_chosen_and_any_may_be_empty(self):
        self.assertEqual(lm_packs(TESSERA_STARTER_SEEDS="5 18", TESSERA_STARTER2_SEEDS="21", TESSERA_STARTER3_SEEDS="25", TESSERA_STARTER_FREE_SEEDS="31"),
                         packs("lm-starter-f", "lm-starter-g", "lm-starter-s18a", "lm-starter-s18b", "lm-starter2-s21a", "lm-starter2-s21b",
                               "lm-starter3-s25a", "lm-starter3-s25b", "lm-starterfree-s31a", "lm-starterfree-s31b"))
        none = dict(TESSERA_STARTER_SEEDS="", TESSERA_STARTER2_SEEDS="", TESSERA_STARTER3_SEEDS="", TESSERA_STARTER_FREE_SEEDS="")
        self.assertEqual(lm_packs(**{**none, "TESSERA_STARTER_SEEDS": "16"}), packs("lm-starter-s16a", "lm-starter-s16b"))
        self.assertEqual(lm_packs(**{**none, "TESSERA_STARTER2_SEEDS": "22"}), packs("lm-starter2-s22a", "lm-starter2-s22b"))
        self.assertEqual(lm_packs(**{**none, "TESSERA_STARTER3_SEEDS": "24"}), packs("lm-starter3-s24a", "lm-starter3-s24b"))
        self.assertEqual(lm_packs(**{**none, "TESSERA_STARTER_FREE_SEEDS": "30"}), packs("lm-starterfree-s30a", "lm-starterfree-s30b"))

    def test_an_explicit_pack_list_wins(self):
        self.assertEqual(lm_packs(TESSERA_PACK="/a,/b", TESSERA_STARTER2_SEEDS="21"), ["/a", "/b"])


if __name__ == "__main__":
    unittest.main()
