// World rendering throughput: 4×4 grids at 128 px, rendered, PNG-encoded and written to tar shards
// with one worker per core. Run: node --import tsx bench/world-render.ts [samples]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildShards } from '../src/world/dataset/build-shards.ts';
import { FULL_WORLD, type WorldConfig } from '../src/world/scene/world-config.ts';

const samples = Number(process.argv[2] ?? 4000);
const grid4x4: WorldConfig = { ...FULL_WORLD, layouts: { single: 0, grid: 1, free: 0, count: 0 }, grids: [[4, 4, 1]], episodesPerSample: 0 };
const outDir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
const workers = availableParallelism();
// A first small build warms the emoji raster caches of each worker's process, as a long build would.
const report = await buildShards({ samples, seed: 1, size: 128, outDir, perShard: 250, preset: grid4x4, workers });
rmSync(outDir, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'world-render-4x4', samples, workers, seconds: +report.seconds.toFixed(2), samplesPerSecond: +report.samplesPerSecond.toFixed(1) }));
