"""Pieces every trainer shares: device/seed setup (runtime), logs and curves (logbook), checkpoints."""
