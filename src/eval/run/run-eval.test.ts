/**
 * One opened subject serves several reports: a sampling sweep loads the model and the verifier's bank
 * once and runs each setting against them, and every report records the settings it was made with.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IMAGE_DEFAULTS } from '../../engine/options.ts';
import { TINY_DIR } from '../../engine/test-support.ts';
import { openEval, runEvalOn } from './run-eval.ts';

test('an opened model runs reports at other settings on the same verifier, each recording its own', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tessera-open-eval-'));
  const flags = { suite: 'smoke', model: TINY_DIR, seed: 3, bank: 'test' as const, limit: 2 };
  const opened = await openEval(flags);
  try {
    const first = await runEvalOn(opened, { ...flags, out: join(out, 'default') });
    const sampling = { cfg: 1, temperature: 0.5 };
    const second = await runEvalOn(opened, { ...flags, sampling, out: join(out, 'cool') });
    const { cfg, temperature, topK, topP } = IMAGE_DEFAULTS;
    assert.deepEqual(first.report.sampling, { cfg, temperature, topK, topP }, 'the tiny model has no sampling.json: the engine defaults');
    assert.deepEqual(second.report.sampling, { ...first.report.sampling, ...sampling });
    assert.equal(first.report.suites[0].cases.length, second.report.suites[0].cases.length);
    const written = JSON.parse(readFileSync(join(out, 'cool', 'report.json'), 'utf8')) as { sampling: unknown };
    assert.deepEqual(written.sampling, second.report.sampling);
  } finally {
    await opened.release();
    rmSync(out, { recursive: true, force: true });
  }
});

test('a reference subject has no settings to change', async () => {
  const opened = await openEval({ suite: 'smoke', model: 'groundtruth', seed: 1, bank: 'test' });
  try {
    assert.equal(opened.withSampling({ sampling: { cfg: 2 } }), opened.subject);
  } finally {
    await opened.release();
  }
});
