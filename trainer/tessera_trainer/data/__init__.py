"""Reading the world's WebDataset shards: samples as dicts of field -> bytes (webdataset.py), and the
VQ's image stream on top of them (images.py)."""
import tessera_trainer.common  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)

from .webdataset import ShardStream, iter_tar_samples, list_shards  # noqa: F401
from .images import ImageStream, decode_png, to_uint8  # noqa: F401
