import unittest

import torch

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.step_bench import step_seconds

from .test_lm_config import FIXTURE


class StepBenchTest(unittest.TestCase):
    def test_times_the_requested_steps(self):
        torch.set_num_threads(1)
        for code_softmax in (False, True):
            times = step_seconds(LMConfig.load(FIXTURE), rows=2, length=16, steps=2, device=torch.device("cpu"), code_softmax=code_softmax)
            self.assertEqual(len(times), 2)
            self.assertTrue(all(t > 0 for t in times))


if __name__ == "__main__":
    unittest.main()
