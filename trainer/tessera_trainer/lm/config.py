"""config.json, as the trainer sees it. The file is written by `tessera model config`
(src/model/model-config.ts), which owns the vocabulary layout; this module only reads it, checks it,
and flattens it into one frozen dataclass. Unknown keys are rejected at every level.

    cfg = LMConfig.load("models/lm/config.json")
    cfg.vocab_size, cfg.boi, cfg.tasks["t2i"], cfg.n_layer
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "tessera-lm"
SPECIALS = ("pad", "bos", "boi", "eoi", "user", "assistant", "end_turn")
TASKS = ("t2i", "i2t", "edit", "restyle", "multiturn")
MODEL_KEYS = {  # config.json "model" key -> LMConfig field
    "nLayer": "n_layer", "nHead": "n_head", "nEmbd": "n_embd", "mlpHidden": "mlp_hidden",
    "maxSeqLen": "max_seq_len", "ropeTheta": "rope_theta", "normEps": "norm_eps",
    "tieEmbeddings": "tie_embeddings", "dropout": "dropout",
}


@dataclass(frozen=True)
class LMConfig:
    # vocabulary: text [0, text_vocab_size), image codes [image_start, image_start + codebook_size), specials
    vocab_size: int
    text_vocab_size: int
    image_start: int
    codebook_size: int
    specials: dict = field(hash=False)    # name -> id, SPECIALS order
    tasks: dict = field(hash=False)       # task -> marker id, TASKS order
    image_grid: tuple = (16, 16)
    image_tokens: int = 256
    # model
    n_layer: int = 6
    n_head: int = 8
    n_embd: int = 256
    mlp_hidden: int = 704
    max_seq_len: int = 1024
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    tie_embeddings: bool = True
    dropout: float = 0.0
    preset: str = ""
    raw: dict = field(default_factory=dict, hash=False, compare=False, repr=False)  # the file as read

    pad = property(lambda self: self.specials["pad"])
    bos = property(lambda self: self.specials["bos"])
    boi = property(lambda self: self.specials["boi"])
    eoi = property(lambda self: self.specials["eoi"])
    user = property(lambda self: self.specials["user"])
    assistant = property(lambda self: self.specials["assistant"])
    end_turn = property(lambda self: self.specials["end_turn"])

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    @property
    def image_end(self) -> int:
        return self.image_start + self.codebook_size

    @classmethod
    def from_dict(cls, d: dict) -> "LMConfig":
        _keys(d, {"format", "version", "preset", "vocab", "image", "model"}, {"tokenizer"}, "config")
        if d["format"] != FORMAT or d["version"] != 1:
            raise ValueError(f"not a {FORMAT} v1 config: format={d['format']!r} version={d['version']!r}")
        v, img, m = d["vocab"], d["image"], d["model"]
        _keys(v, {"size", "text", "image", "specials", "tasks"}, set(), "vocab")
        _keys(v["specials"], set(SPECIALS), set(), "vocab.specials")
        _keys(v["tasks"], set(TASKS), set(), "vocab.tasks")
        _keys(img, {"grid", "tokens"}, set(), "image")
        _keys(m, set(MODEL_KEYS), set(), "model")
        cfg = cls(
            vocab_size=v["size"], text_vocab_size=v["text"]["size"], image_start=v["image"]["start"],
            codebook_size=v["image"]["size"], specials=dict(v["specials"]), tasks=dict(v["tasks"]),
            image_grid=tuple(img["grid"]), image_tokens=img["tokens"], preset=d["preset"], raw=d,
            **{MODEL_KEYS[k]: val for k, val in m.items()},
        )
        cfg.check()
        return cfg

    @classmethod
    def load(cls, path: str | Path) -> "LMConfig":
        path = Path(path)
        if path.is_dir():
            path = path / "config.json"
        return cls.from_dict(json.loads(path.read_text()))

    def check(self) -> None:
        """The same layout rule as src/model/vocabulary.ts, so a hand-edited file cannot drift."""
        nxt = self.text_vocab_size + self.codebook_size
        expected = {name: nxt + i for i, name in enumerate(SPECIALS)}
        expected_tasks = {t: nxt + len(SPECIALS) + i for i, t in enumerate(TASKS)}
        if (self.image_start != self.text_vocab_size or self.specials != expected or self.tasks != expected_tasks
                or self.vocab_size != nxt + len(SPECIALS) + len(TASKS)):
            raise ValueError("config.json vocab ids do not match the layout computed from its sizes")
        if self.image_tokens != self.image_grid[0] * self.image_grid[1]:
            raise ValueError("image.tokens must equal grid[0] * grid[1]")
        if self.n_embd % self.n_head or self.head_dim % 2:
            raise ValueError(f"n_embd {self.n_embd} / n_head {self.n_head} must be an even integer")

    def to_dict(self) -> dict:
        return self.raw


def _keys(d: dict, required: set, optional: set, where: str) -> None:
    if not isinstance(d, dict):
        raise ValueError(f"{where} must be an object")
    missing, unknown = required - set(d), set(d) - required - optional
    if missing or unknown:
        raise ValueError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
