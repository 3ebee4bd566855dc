"""python -m tessera_trainer.lm <command> ...   (pack | pack-archive | train | grow | heldout | sample | sample-grid | export | step-bench | fixture)"""
import sys

USAGE = """usage: python -m tessera_trainer.lm <command> [options]

  pack      shards + VQ -> pre-encoded episode pack
  pack-archive  a pack as one .tar.xz and back (what travels to a lent accelerator)
  train     train the LM on a pack (torchrun for DDP)
  grow      a trained LM made deeper, new blocks starting as the identity (same logits)
  heldout   held-out loss per task of any weights on any packs (and t2i codes by a VQ's canonical classes)
  sample    t2i samples from a pack's held-out prompts; prints tokens/s
  sample-grid  the card's sheet: a pack's held-out t2i truth above what any weights draw for it
  export    lm.onnx (one graph: prefill and decode) for the engine
  step-bench  training-step speed of a config on this machine (tokens/s)
  fixture   the tiny seeded ONNX fixture with PyTorch reference logits (src/model/fixtures/tiny)
"""


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return
    command, rest = argv[0], argv[1:]
    if command == "pack":
        from .pack import main as run
    elif command == "pack-archive":
        from .pack_archive import main as run
    elif command == "train":
        from .train import main as run
    elif command == "grow":
        from .grow import main as run
    elif command == "heldout":
        from .heldout import main as run
    elif command == "sample":
        from .sample import main as run
    elif command == "sample-grid":
        from .sample_grid import main as run
    elif command == "export":
        from .export import main as run
    elif command == "step-bench":
        from .step_bench import main as run
    elif command == "fixture":
        from .export import main as export_main
        run = lambda a: export_main(a, fixture=True)  # noqa: E731
    else:
        sys.exit(f"unknown command {command!r}\n\n{USAGE}")
    run(rest)


if __name__ == "__main__":
    main(sys.argv[1:])
