"""A graceful stop on SIGTERM or Ctrl-C: the loop finishes its step, saves, and exits cleanly.

    stop = StopRequest.install()
    while not stop.requested: step()
    save()

Killing a run between checkpoints used to lose up to ckpt_every_min of training; now the first
signal only asks, and a second one (an impatient Ctrl-C) interrupts as usual.
"""
import signal


class StopRequest:
    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    @classmethod
    def install(cls, signals=(signal.SIGTERM, signal.SIGINT)) -> "StopRequest":
        stop = cls()
        for sig in signals:
            stop._previous[sig] = signal.signal(sig, stop._handle)
        return stop

    def _handle(self, signum, frame) -> None:
        if self.requested:  # asked twice: stop now, as without this handler
            self.restore()
            signal.raise_signal(signum)
            return
        self.requested = True
        print(f"[train] {signal.Signals(signum).name}: stopping after this step and saving (again to stop now)", flush=True)

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
