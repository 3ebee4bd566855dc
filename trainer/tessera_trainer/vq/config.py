"""The VQ's configuration: model shape and training settings, as plain dataclasses with commented
defaults, and the size presets in one registry.

    cfg = preset("default", batch_size=32)   # unknown keys raise
"""
from dataclasses import asdict, dataclass, field, fields, replace


@dataclass(frozen=True)
class VQConfig:
    image_size: int = 128
    patch: int = 2                        # pixel (un)shuffle at the ends: convs start at 64x64
    channels: tuple = (32, 64, 128)       # width at 64, 32, 16 px: patch 2 x 2 halvings = 8x downsampling
    enc_blocks: tuple = (0, 1, 2)         # residual blocks per level in the encoder
    dec_blocks: tuple = (1, 1, 3)         # ... and in the decoder, which does the harder job
    codebook_size: int = 1024
    code_dim: int = 16                    # factorized code dimension (cosine lookup)
    commit_beta: float = 0.25             # weight of the encoder's commitment loss
    dead_threshold: float = 0.03          # restart codes used under 3% of the uniform rate

    @property
    def grid(self) -> int:
        return self.image_size // (self.patch * 2 ** (len(self.channels) - 1))


@dataclass(frozen=True)
class TrainConfig:
    batch_size: int = 16
    lr: float = 1e-3
    min_lr_frac: float = 0.1              # cosine floor, as a fraction of lr
    warmup_steps: int = 300
    decay_steps: int = 0                  # 0: constant lr after warmup (runs are extended by --resume)
    weight_decay: float = 0.0             # convs and codebook: decay would only shrink unit vectors
    betas: tuple = (0.9, 0.99)
    grad_clip: float = 1.0
    l1_weight: float = 1.0                # reconstruction loss = l1 * |x - x_hat| + l2 * (x - x_hat)^2
    l2_weight: float = 1.0
    vq_weight: float = 1.0
    shuffle_buffer: int = 512
    workers: int = 1                      # DataLoader workers decoding PNGs beside the training threads
    log_every: int = 20
    sample_every_min: float = 10.0        # reconstruction grid + loss curve, wall-clock minutes
    ckpt_every_min: float = 5.0
    eval_images: int = 256                # held-out images for the periodic PSNR
    channels_last: bool = False           # measured slower on this CPU (format copies around GroupNorm and
                                          # pixel shuffle; MODEL_CARD.md); worth trying on GPU
    seed: int = 1337


@dataclass(frozen=True)
class Preset:
    model: VQConfig = field(default_factory=VQConfig)
    train: TrainConfig = field(default_factory=TrainConfig)


PRESETS: dict[str, Preset] = {
    # seconds on a laptop CPU: the unit tests and the ONNX parity fixture
    "tiny": Preset(
        VQConfig(channels=(8, 8, 16), enc_blocks=(0, 0, 1), dec_blocks=(0, 0, 1), codebook_size=64, code_dim=8),
        TrainConfig(batch_size=4, warmup_steps=2, log_every=1, shuffle_buffer=8, workers=0, eval_images=8),
    ),
    # the shipped tokenizer, sized for a 2-core CPU and a few hours (throughput in MODEL_CARD.md)
    "default": Preset(VQConfig(), TrainConfig()),
    # a GPU run: wider and deeper, bigger batches
    "large": Preset(
        VQConfig(channels=(96, 192, 256), enc_blocks=(1, 2, 3), dec_blocks=(2, 3, 4)),
        TrainConfig(batch_size=64, lr=4e-4, warmup_steps=1000, workers=6, channels_last=True),
    ),
}


def _override(obj, overrides: dict):
    known = {f.name for f in fields(obj)}
    unknown = set(overrides) - known
    if unknown:
        raise KeyError(f"unknown {type(obj).__name__} keys: {sorted(unknown)}")
    return replace(obj, **{k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()})


def preset(name: str, model: dict | None = None, train: dict | None = None) -> Preset:
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; choose from {sorted(PRESETS)}")
    p = PRESETS[name]
    return Preset(_override(p.model, model or {}), _override(p.train, train or {}))


def model_config(d: dict) -> VQConfig:
    """A VQConfig from a saved dict (checkpoint, weights, config.json)."""
    return _override(VQConfig(), d)


def as_dict(cfg) -> dict:
    return asdict(cfg)
