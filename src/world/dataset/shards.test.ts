import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildShards } from './build-shards.ts';
import { readTar } from './tar-writer.ts';
import type { WorldSample } from '../sample.ts';

const build = (outDir: string, workers: number) => buildShards({ samples: 12, seed: 3, size: 128, outDir, perShard: 5, preset: 'full', workers });

test('shards are WebDataset tars, identical for the same seed whatever the worker count', async () => {
  const a = mkdtempSync(join(tmpdir(), 'tessera-shards-'));
  const b = mkdtempSync(join(tmpdir(), 'tessera-shards-'));
  await build(a, 0);
  await build(b, 2);
  const files = readdirSync(a).sort();
  assert.deepEqual(files, ['shard-000000.tar', 'shard-000001.tar', 'shard-000002.tar']);
  for (const f of files) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between builds`);

  const members = [...readTar(readFileSync(join(a, files[0])))];
  const keys = new Set(members.map((m) => m.name.split('.')[0]));
  assert.equal(keys.size, 5);
  for (const key of keys) {
    const json = members.find((m) => m.name === `${key}.json`);
    assert.ok(json, `${key}.json missing`);
    const sample = JSON.parse(json.data.toString('utf8')) as WorldSample;
    assert.equal(sample.key, key);
    for (const field of Object.keys(sample.scenes)) {
      const png = members.find((m) => m.name === `${key}.${field}.png`);
      assert.ok(png && png.data.subarray(1, 4).toString() === 'PNG', `${key}.${field}.png missing`);
    }
    for (const episode of sample.episodes) {
      for (const s of episode.segments) if (s.type === 'image') assert.ok(sample.scenes[s.image], `episode refers to missing ${s.image}`);
    }
    assert.ok(sample.captions.length >= 1 && sample.captions[0].locale === 'en');
  }
});
