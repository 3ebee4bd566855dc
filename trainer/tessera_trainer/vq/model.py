"""The VQ image tokenizer: a convolutional autoencoder with a factorized, l2-normalized codebook.

    x (B, 3, 128, 128) in [-1, 1] --Encoder--> z (B, d, 16, 16) --Quantizer--> codes (B, 16, 16) int
    codes --Quantizer.lookup--> q (B, d, 16, 16) --Decoder--> x_hat (B, 3, 128, 128)

Read bottom-up: blocks -> encoder -> quantizer -> decoder -> VQModel. The config lives in config.py.

Choices, and why:
- Factorized codes (ViT-VQGAN, "improved VQGAN"): the encoder projects to a small d (16) and the
  lookup is cosine similarity between l2-normalized vectors. Low-dim unit vectors keep the codebook
  well spread and nearly all codes in use; dead codes are also restarted from encoder outputs.
- No conv runs at 128x128: pixel-unshuffle (space-to-depth) in, pixel-shuffle out, which halved
  the train step against a classic full-resolution stem (bench.py). Upsampling is sub-pixel
  (1x1 conv + pixel shuffle), never transposed conv (about 10x slower on this CPU).
- GroupNorm with a few groups: batch statistics would tie the codes of one image to its batch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import VQConfig


class Norm(nn.GroupNorm):
    """GroupNorm with a few groups, its statistics in fp32: under bf16 autocast on a CPU, torch 1.13's
    group_norm refuses bf16 input with fp32 weights, and fp32 statistics are the safer ones anyway."""

    def __init__(self, c: int):
        super().__init__(num_groups=min(8, c // 4) or 1, num_channels=c, eps=1e-6)

    def forward(self, x):
        if x.dtype == torch.float32:  # no casts traced into the ONNX graphs
            return super().forward(x)
        return super().forward(x.float()).type_as(x)


class ResBlock(nn.Module):
    """x + conv(act(norm(conv(act(norm(x)))))); the last conv starts at zero so every block begins as
    the identity, which keeps a deep stack trainable without normalization tricks."""

    def __init__(self, c_in: int, c_out: int | None = None):
        super().__init__()
        c_out = c_out or c_in
        self.norm1, self.conv1 = Norm(c_in), nn.Conv2d(c_in, c_out, 3, padding=1)
        self.norm2, self.conv2 = Norm(c_out), nn.Conv2d(c_out, c_out, 3, padding=1)
        nn.init.zeros_(self.conv2.weight)
        nn.init.zeros_(self.conv2.bias)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x):  # (B, c_in, H, W) -> (B, c_out, H, W)
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return self.skip(x) + h


class Downsample(nn.Module):
    """Strided 3x3 conv: (B, c_in, H, W) -> (B, c_out, H/2, W/2)."""

    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    """Sub-pixel upsampling, 1x1 conv to 4 c_out channels then pixel shuffle:
    (B, c_in, H, W) -> (B, 4 c_out, H, W) -> (B, c_out, 2H, 2W).
    A 3x3 conv after nearest upsampling costs 9x more (measured: 15% of the whole model's MACs)
    for work the following residual blocks do anyway."""

    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, 4 * c_out, 1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x):
        return self.shuffle(self.conv(x))


class Encoder(nn.Module):
    """(B, 3, S, S) -> (B, d, S/f, S/f), f = patch * 2 ** (len(channels) - 1)."""

    def __init__(self, cfg: VQConfig):
        super().__init__()
        ch = cfg.channels  # widths from the stem's resolution down, e.g. (32, 64, 128) for 64, 32, 16 px
        # space-to-depth first: no conv ever runs at 128x128, where it would cost 4x a 64x64 one
        self.unshuffle = nn.PixelUnshuffle(cfg.patch)
        self.stem = nn.Conv2d(3 * cfg.patch ** 2, ch[0], 3, padding=1)
        levels = []
        for i, c in enumerate(ch):
            blocks = [ResBlock(c) for _ in range(cfg.enc_blocks[i])]
            if i < len(ch) - 1:
                blocks.append(Downsample(c, ch[i + 1]))
            levels.append(nn.Sequential(*blocks))
        self.levels = nn.Sequential(*levels)
        self.norm_out = Norm(ch[-1])
        self.proj = nn.Conv2d(ch[-1], cfg.code_dim, 1)

    def forward(self, x):
        h = self.stem(self.unshuffle(x))  # (B, 3, 128, 128) -> (B, 12, 64, 64) -> (B, ch0, 64, 64)
        h = self.levels(h)        # (B, ch[-1], 16, 16)
        return self.proj(F.silu(self.norm_out(h)))  # (B, d, 16, 16)


class Decoder(nn.Module):
    """(B, d, S/f, S/f) -> (B, 3, S, S), unbounded (trained towards [-1, 1])."""

    def __init__(self, cfg: VQConfig):
        super().__init__()
        ch = cfg.channels
        self.proj = nn.Conv2d(cfg.code_dim, ch[-1], 3, padding=1)
        levels = []
        for i in reversed(range(len(ch))):
            blocks = [ResBlock(ch[i]) for _ in range(cfg.dec_blocks[i])]
            if i > 0:
                blocks.append(Upsample(ch[i], ch[i - 1]))
            levels.append(nn.Sequential(*blocks))
        self.levels = nn.Sequential(*levels)
        self.norm_out = Norm(ch[0])
        self.out = nn.Conv2d(ch[0], 3 * cfg.patch ** 2, 3, padding=1)
        self.shuffle = nn.PixelShuffle(cfg.patch)  # sub-pixel output: (B, 12, 64, 64) -> (B, 3, 128, 128)

    def forward(self, q):
        h = self.proj(q)            # (B, ch[-1], 16, 16)
        h = self.levels(h)          # (B, ch0, 64, 64)
        return self.shuffle(self.out(F.silu(self.norm_out(h))))  # (B, 3, 128, 128)


class Quantizer(nn.Module):
    """Cosine nearest-neighbour lookup in a codebook of K unit vectors of dimension d.

    Training keeps an EMA of each code's usage; codes whose usage falls below `dead_threshold` of
    the uniform rate are restarted on encoder outputs of the current batch, drawn with probability
    proportional to their quantization error: uniform draws would mostly land on white background
    (the commonest patch, already well served) and make duplicates of its code.
    """

    def __init__(self, cfg: VQConfig):
        super().__init__()
        self.K, self.d, self.beta = cfg.codebook_size, cfg.code_dim, cfg.commit_beta
        self.dead_threshold = cfg.dead_threshold
        self.embed = nn.Parameter(F.normalize(torch.randn(self.K, self.d), dim=1))  # (K, d)
        self.register_buffer("usage", torch.full((self.K,), 1.0 / self.K))  # EMA of each code's share
        # Each code's class representative (canonical.py); the identity until a map is set
        self.register_buffer("canonical", torch.arange(self.K))

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # weights saved before canonical maps existed load with the identity map
        state_dict.setdefault(prefix + "canonical", torch.arange(self.K))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def codebook(self):
        return F.normalize(self.embed, dim=1)  # (K, d)

    def codes(self, z):
        """(B, d, h, w) -> (B, h, w) int64: argmax of cosine similarity, always in fp32 (under bf16
        autocast, near-ties between codes would be decided by rounding), as its class representative."""
        with torch.autocast(device_type=z.device.type, enabled=False):
            z = F.normalize(z.float(), dim=1)
            sim = torch.einsum("bdhw,kd->bkhw", z, self.codebook())  # (B, K, h, w)
        return self.canonical[sim.argmax(dim=1)]

    def lookup(self, codes):
        """(B, h, w) int -> (B, d, h, w) unit vectors."""
        return F.embedding(codes.long(), self.codebook()).permute(0, 3, 1, 2)

    def forward(self, z):
        """z (B, d, h, w) -> (q with straight-through gradient, codes (B, h, w), vq loss)."""
        z = F.normalize(z.float(), dim=1)
        codes = self.codes(z)                                    # (B, h, w)
        q = self.lookup(codes)                                   # (B, d, h, w)
        loss = F.mse_loss(q, z.detach()) + self.beta * F.mse_loss(z, q.detach())
        if self.training:
            self._track_and_restart(z.detach(), q.detach(), codes)
        return z + (q - z).detach(), codes, loss

    @torch.no_grad()
    def _track_and_restart(self, z, q, codes, decay: float = 0.99):
        counts = torch.bincount(codes.flatten(), minlength=self.K).float()
        self.usage.mul_(decay).add_(counts / counts.sum(), alpha=1 - decay)
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            return  # restarts would differ per rank; a DDP run relies on the factorized lookup alone
        dead = (self.usage < self.dead_threshold / self.K).nonzero().flatten()
        if len(dead) == 0:
            return
        flat = z.permute(0, 2, 3, 1).reshape(-1, self.d)          # (B*h*w, d)
        err = (1 - (z * q).sum(1)).flatten().clamp_min(0) + 1e-6   # (B*h*w,) cosine distance to own code
        pick = torch.multinomial(err, len(dead), replacement=True)
        fresh = flat[pick] + 0.01 * torch.randn(len(dead), self.d, device=z.device)
        self.embed.data[dead] = F.normalize(fresh, dim=1).to(self.embed.dtype)
        self.usage[dead] = 1.0 / self.K


class VQModel(nn.Module):
    def __init__(self, cfg: VQConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.quantizer = Quantizer(cfg)
        self.decoder = Decoder(cfg)
        self.codes_frozen = False

    def freeze_codes(self) -> "VQModel":
        """Train the decoder alone: the encoder and codebook stop changing (no gradients, no dead-code
        restarts), so every image keeps exactly its codes. A language model trained on these codes
        stays valid while the decoder improves."""
        self.codes_frozen = True
        for p in [*self.encoder.parameters(), *self.quantizer.parameters()]:
            p.requires_grad_(False)
        return self.train(self.training)

    def train(self, mode: bool = True):
        super().train(mode)
        if self.codes_frozen:  # the quantizer restarts dead codes in training mode
            self.encoder.eval()
            self.quantizer.eval()
        return self

    def forward(self, x):
        """x (B, 3, S, S) in [-1, 1] -> (x_hat (B, 3, S, S), codes (B, S/f, S/f), vq loss)."""
        if self.codes_frozen:
            # fp32 and no graph: under bf16 autocast the encoder would hand near-ties other codes than
            # the fp32 encoder that made the LM's packs, and the decoder would learn the wrong ones
            with torch.no_grad(), torch.autocast(device_type=x.device.type, enabled=False):
                q, codes, vq_loss = self.quantizer(self.encoder(x.float()))
        else:
            q, codes, vq_loss = self.quantizer(self.encoder(x))
        return self.decoder(q), codes, vq_loss

    @torch.no_grad()
    def encode(self, x):
        """(B, 3, S, S) in [-1, 1] -> (B, S/f, S/f) int64 codes."""
        return self.quantizer.codes(self.encoder(x))

    @torch.no_grad()
    def decode(self, codes):
        """(B, S/f, S/f) int codes -> (B, 3, S, S) clamped to [-1, 1]."""
        return self.decoder(self.quantizer.lookup(codes)).clamp(-1, 1)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def flops_per_image(self) -> int:
        """Multiply-accumulates of one forward pass (convs only), for the model card."""
        macs = 0

        def hook(mod, inp, out):
            nonlocal macs
            k = mod.weight.shape[1] * mod.weight.shape[2] * mod.weight.shape[3]
            macs += out.shape[1] * out.shape[2] * out.shape[3] * k

        hooks = [m.register_forward_hook(hook) for m in self.modules() if isinstance(m, nn.Conv2d)]
        was_training, device = self.training, self.quantizer.embed.device
        with torch.no_grad():
            self.eval()
            self.decoder(self.quantizer.lookup(self.encode(torch.zeros(1, 3, self.cfg.image_size, self.cfg.image_size, device=device))))
        self.train(was_training)
        for h in hooks:
            h.remove()
        return macs


def psnr(x, y) -> torch.Tensor:
    """Per-image PSNR in dB of images in [-1, 1] (peak-to-peak 2): (B, 3, H, W) x2 -> (B,)."""
    mse = ((x.float().clamp(-1, 1) - y.float().clamp(-1, 1)) ** 2).flatten(1).mean(1)
    return 10 * torch.log10(4.0 / mse.clamp_min(1e-10))
