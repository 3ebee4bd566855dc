import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../cli/main.ts';
import { buildModelConfig, countParams, MODEL_PRESETS, ModelConfigError, parseModelConfig, PRESET_NAMES, readModelConfig, writeModelConfig } from './model-config.ts';

test('every preset builds and validates', () => {
  for (const preset of PRESET_NAMES) {
    const config = buildModelConfig({ preset, textVocabSize: 4096 });
    assert.deepEqual(parseModelConfig(JSON.parse(JSON.stringify(config))), config);
  }
});

test('preset sizes are in their intended ranges', () => {
  const millions = (preset: string, textVocabSize = 4096) => countParams(buildModelConfig({ preset, textVocabSize })).total / 1e6;
  assert.ok(millions('tiny', 96) < 0.2, `tiny ${millions('tiny', 96)}M`);
  assert.ok(millions('default') >= 4 && millions('default') <= 10, `default ${millions('default')}M`);
  assert.ok(millions('large') >= 100, `large ${millions('large')}M`);
});

test('overrides apply and are validated', () => {
  const config = buildModelConfig({ preset: 'tiny', textVocabSize: 96, overrides: { nLayer: 3, dropout: undefined } });
  assert.equal(config.model.nLayer, 3);
  assert.equal(config.model.dropout, MODEL_PRESETS.tiny.dropout);
  assert.throws(() => buildModelConfig({ preset: 'tiny', textVocabSize: 96, overrides: { nHead: 5 } }), ModelConfigError);
  assert.throws(() => buildModelConfig({ preset: 'huge', textVocabSize: 96 }), ModelConfigError);
});

test('unknown keys and inconsistent vocab ids are rejected', () => {
  const config = buildModelConfig({ preset: 'tiny', textVocabSize: 96 });
  assert.throws(() => parseModelConfig({ ...config, extra: 1 }), ModelConfigError);
  assert.throws(() => parseModelConfig({ ...config, model: { ...config.model, nLayers: 2 } }), ModelConfigError);
  const shifted = structuredClone(config);
  shifted.vocab.specials.boi += 1;
  assert.throws(() => parseModelConfig(shifted), /do not match/);
});

test('writeModelConfig round-trips through readModelConfig', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-model-'));
  try {
    const config = buildModelConfig({ preset: 'default', textVocabSize: 500, codebookSize: 256 });
    const file = await writeModelConfig(dir, config);
    assert.deepEqual(await readModelConfig(file), config);
    assert.deepEqual(await readModelConfig(dir), config);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('CLI: tessera model config writes config.json with overrides', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-model-cli-'));
  const log = console.log;
  console.log = () => {};
  try {
    const code = await main(['model', 'config', '--preset', 'tiny', '--text-vocab-size', '96', '--n-layer', '3', '--no-tie-embeddings', '--out', dir]);
    assert.equal(code, 0);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    assert.equal(config.model.nLayer, 3);
    assert.equal(config.model.tieEmbeddings, false);
    assert.equal(config.vocab.text.size, 96);
    const error = console.error;
    console.error = () => {};
    try {
      assert.equal(await main(['model', 'config', '--out', dir]), 2);
    } finally {
      console.error = error;
    }
  } finally {
    console.log = log;
    await rm(dir, { recursive: true, force: true });
  }
});
