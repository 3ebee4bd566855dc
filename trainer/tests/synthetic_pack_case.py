"""A test case with a synthetic episode pack for the fixture config, made once per class."""
import os
import tempfile
import unittest

import torch

from tessera_trainer.lm.config import LMConfig
from tessera_trainer.lm.synthetic import synthetic_pack

from .test_lm_config import FIXTURE


class SyntheticPackCase(unittest.TestCase):
    """cls.cfg (the fixture config), cls.pack (a pack of `samples` samples) and cls.tmp, on one thread."""
    samples = 10

    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        os.environ.setdefault("TESSERA_THREADS", "1")
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cfg = LMConfig.load(FIXTURE)
        cls.pack = synthetic_pack(cls.tmp.name, cls.cfg, samples=cls.samples)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
