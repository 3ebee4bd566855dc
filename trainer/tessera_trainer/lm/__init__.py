"""The multimodal language model: config.json reader, model, episode pack, training, sampling, ONNX export.
Run `python -m tessera_trainer.lm --help` for the commands."""
