"""Tessera's PyTorch trainers: the VQ image tokenizer (vq/) and the multimodal decoder (lm/)."""
import os

# $TESSERA_THREADS must bound the BLAS pool too. torch.set_num_threads does not reach OpenBLAS's own
# threads, which read their count once, when the library loads: so it is set here, before any
# submodule imports numpy or torch. Measured on the 2-core machine: one process with OpenBLAS at 2
# threads trained at 516 tokens/s, at 1 thread 772, so 2 DDP ranks x 1 thread beat 1 rank x 2.
if os.environ.get("TESSERA_THREADS"):
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, os.environ["TESSERA_THREADS"])
