/**
 * The smoke suite end to end: on the tiny fixture model (the CI case), on the ground truth (which
 * must score high) and on a subject that draws the wrong scenes (which must score low).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockCodec, tinyEngine } from '../../engine/test-support.ts';
import { writeBench } from '../report/write-bench.ts';
import { suitesNamed } from '../suites/registry.ts';
import { TEST_BANK } from '../verifier/test-bank.ts';
import { Verifier } from '../verifier/verifier.ts';
import { engineSubject } from './engine-subject.ts';
import { referenceSubject, renderRgba } from './reference-subject.ts';
import { runBench } from './run-suite.ts';
import type { Subject } from './subject.ts';

const smoke = suitesNamed('smoke')!;
let verifier: Verifier;
before(async () => {
  // Both banks (clean for the references, blurred for the tiny model's codec output), built once.
  verifier = await Verifier.create({ bank: TEST_BANK, images: 'auto' });
});

const scores = (report: Awaited<ReturnType<typeof runBench>>['report']) =>
  Object.fromEntries(report.suites[0].categories.filter((c) => c.score !== null).map((c) => [c.category, c.score!]));

test('ground truth scores high on every smoke category', async () => {
  const { report } = await runBench({ suites: smoke, subject: referenceSubject('groundtruth'), verifier });
  for (const [category, score] of Object.entries(scores(report))) assert.equal(score, 1, `${category}: ${JSON.stringify(report.suites[0].cases.find((c) => c.category === category))}`);
  const speed = report.suites[0].categories.find((c) => c.category === 'smoke/speed')!;
  assert.equal(speed.score, null, 'a reference has no speed');
});

test('a subject that draws the wrong scene, says the wrong thing and ignores edits scores low', async () => {
  const truth = referenceSubject('groundtruth');
  const blank = async () => ({ rgba: await renderRgba({ size: 128, background: 'white', style: 'twemoji', layout: { kind: 'single' }, objects: [] }) });
  const wrong: Subject = {
    ...truth,
    name: 'wrong',
    // Another scene of the same layout: the first object of the grid moved to every cell.
    generate: async (c) => (c.scene.layout.kind === 'grid' ? { rgba: await renderRgba({ ...c.scene, objects: c.scene.objects.map((o) => ({ ...c.scene.objects[0], box: o.box, cell: o.cell })) }) } : blank()),
    edit: async (_c, source) => ({ rgba: source }),
    describe: async () => 'a purple giraffe',
  };
  const { report } = await runBench({ suites: smoke, subject: wrong, verifier });
  const byCategory = scores(report);
  for (const [category, score] of Object.entries(byCategory)) assert.ok(score <= 0.25, `${category} scored ${score}`);
});

test('the tiny model runs every task; the report, summary, sheets and plot are written', async () => {
  const engine = await tinyEngine(new BlockCodec());
  const subject = engineSubject('tiny', engine, new BlockCodec());
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { report, runs } = await runBench({ suites: smoke, subject, verifier });
  const { user, system } = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  await subject.close();
  const out = mkdtempSync(join(tmpdir(), 'tessera-eval-'));
  try {
    const files = writeBench(report, runs, out, 'test');
    assert.deepEqual(files.map((f) => f.slice(out.length + 1)).sort(), ['report.json', 'scores.png', 'sheet-smoke.png', 'summary.md']);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    assert.equal(json.bench, 'world-bench');
    assert.equal(json.subject, 'tiny');
    const cases = json.suites[0].cases as { task: string; error?: string; score: number | null; ms: number }[];
    assert.deepEqual([...new Set(cases.map((c) => c.task))].sort(), ['edit', 'i2t', 'speed', 't2i']);
    assert.deepEqual(cases.filter((c) => c.error), [], 'every task ran');
    for (const c of cases) if (c.task !== 'speed') assert.ok(c.score !== null && c.score >= 0 && c.score <= 1);
    // With the edited region as the mask every other cell keeps the source's code; without one the tiny model keeps few.
    const tokensOf = (category: string) => (json.suites[0].cases as { category: string; metrics: { tokens: number | null } }[]).find((c) => c.category === category)!.metrics.tokens;
    assert.equal(tokensOf('smoke/edit-locked'), 1);
    assert.ok(tokensOf('smoke/edit')! < 1);
    const speed = json.suites[0].categories.find((c: { category: string }) => c.category === 'smoke/speed');
    assert.ok(speed.metrics.msPerImage > 0 && speed.metrics.tokensPerSecond > 0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    assert.match(summary, /\| smoke\/2x2 \| 1 \|/);
    // The one-object case says what it asks for, and the summary counts it by that; the 2×2 case has four objects.
    const kindOf = (category: string) => (json.suites[0].cases as { category: string; objectKind?: string }[]).find((c) => c.category === category)!.objectKind;
    assert.match(kindOf('smoke/single-object') ?? '', /^(emoji|shape|word)/);
    assert.equal(kindOf('smoke/2x2'), undefined);
    assert.match(summary, new RegExp(`\\| smoke/single-object \\| ${kindOf('smoke/single-object')} \\| 1 \\| [01] \\(`));
    assert.match(summary, /\| smoke \| [\d.]+% \| — \|/, 'one case a category: no standard error to give');
    assert.ok(existsSync(join(out, 'sheet-smoke.png')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  // Not asserted (a shared CI machine would make it flaky), only shown: wall time, and CPU time,
  // which a busy machine does not inflate.
  console.log(`smoke suite on the tiny model: ${(wall / 1000).toFixed(1)} s wall, ${((user + system) / 1e6).toFixed(1)} s CPU`);
});
