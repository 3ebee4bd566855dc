"""python -m tessera_trainer.vq {train,export,canonicalize,eval,bench,fixture} ... (each has --help)."""
import sys


def main(argv: list[str]) -> int:
    commands = ("train", "export", "canonicalize", "eval", "bench", "fixture")
    if not argv or argv[0] not in commands:
        print(f"usage: python -m tessera_trainer.vq {{{','.join(commands)}}} [--help]", file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "train":
        from .train import main as run
    elif command == "export":
        from .export import main as run
    elif command == "canonicalize":
        from .canonical import main as run
    elif command == "eval":
        from .evaluate import main as run
    elif command == "fixture":
        from .fixture import main as run
    else:
        from .bench import cli as run
    return run(rest) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
