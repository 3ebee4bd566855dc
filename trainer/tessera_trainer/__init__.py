"""Tessera's PyTorch trainers: the VQ image tokenizer (vq/) and the multimodal decoder (lm/)."""
