"""Pieces every trainer shares: device/seed setup (runtime), logs and curves (logbook), checkpoints."""
import os

# Before anything imports torch: libgomp reads this once, when torch's library loads. Its default
# (spinning worker threads) makes a 2-thread CPU step up to 50x slower whenever another process
# holds a core (measured: 2670 ms vs 97 ms per tiny-VQ step on this shared 2-core machine).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
