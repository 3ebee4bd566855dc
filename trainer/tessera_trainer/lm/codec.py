"""The image tokenizer as the LM sees it: images in, integer codes out, and back.

    codec = load_codec("models/vq")             # the trained VQ (tessera_trainer.vq.load_vq)
    codes = codec.encode(x)                      # x (N, 3, 128, 128) in [-1, 1] -> (N, 16, 16) int
    x_hat = codec.decode(codes)                  # -> (N, 3, 128, 128) in [-1, 1]
    codec.cfg.codebook_size                      # K

Only integer codes cross from the VQ to the transformer, so anything with these three members works;
tests pass lm.synthetic.StubCodec. The VQ package is imported only when a codec is actually loaded.
"""
from pathlib import Path


def load_codec(path: str | Path, device="cpu"):
    from tessera_trainer.vq import load_vq  # lazily: the LM trains without the VQ when no grids are drawn
    return load_vq(path, device)


def codebook_size(codec) -> int:
    return int(codec.cfg.codebook_size)
