import { test } from 'node:test';
import assert from 'node:assert/strict';
import { starterVocabulary } from '../../world/catalog/core-vocabulary.ts';
import type { EvalCase } from './eval-case.ts';
import { EVAL_SEED, evalBuildSeed, FULL_SCOPE, SEEN_SEEDS, type EvalScope } from './eval-world.ts';
import { ALL, SUITES, suiteCases, suitesNamed } from './registry.ts';

test('the same seed gives the same cases; another seed gives other scenes', () => {
  for (const suite of SUITES) {
    const a = suiteCases(suite, EVAL_SEED);
    assert.deepEqual(suiteCases(suite, EVAL_SEED), a, suite.name);
    if (suite.name === 'speed') continue;
    assert.notDeepEqual(suiteCases(suite, EVAL_SEED + 1), a, `${suite.name}: seed is ignored`);
  }
});

test('case ids are unique and every category survives a small --limit', () => {
  for (const suite of SUITES) {
    const cases = suiteCases(suite);
    assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, suite.name);
    const categories = new Set(cases.map((c) => c.category));
    const limited = new Set(suiteCases(suite, EVAL_SEED, categories.size).map((c) => c.category));
    assert.deepEqual([...limited].sort(), [...categories].sort(), `${suite.name}: --limit ${categories.size} drops a category`);
  }
});

test('a --limit above the fixed set draws further scenes of every category, keeping the fixed cases', () => {
  for (const suite of SUITES.filter((s) => !['smoke', 'speed'].includes(s.name))) {
    const fixed = suiteCases(suite);
    const more = suiteCases(suite, EVAL_SEED, 2 * fixed.length + 1);
    assert.equal(more.length, 2 * fixed.length + 1, suite.name);
    assert.equal(new Set(more.map((c) => c.id)).size, more.length, `${suite.name}: ids repeat`);
    const byId = new Map(more.map((c) => [c.id, c]));
    for (const c of fixed) assert.deepEqual(byId.get(c.id), c, `${suite.name}: ${c.id} changed with the size`);
    const count = (cases: typeof fixed) => cases.reduce((m, c) => m.set(c.category, (m.get(c.category) ?? 0) + 1), new Map<string, number>());
    for (const [category, n] of count(suiteCases(suite, EVAL_SEED, 3 * fixed.length))) assert.equal(n, 3 * count(fixed).get(category)!, `${suite.name}: ${category}`);
  }
  // the fixed suites say how many they have: a larger limit gives no more
  const speed = suitesNamed('speed')![0];
  assert.equal(suiteCases(speed, EVAL_SEED, 100).length, suiteCases(speed).length);
});

test('eval scenes come from build seeds that no training shard or validation used', () => {
  for (const suite of SUITES) {
    for (const category of new Set(suite.cases(EVAL_SEED, FULL_SCOPE).map((c) => c.category))) {
      assert.ok(!SEEN_SEEDS.includes(evalBuildSeed(EVAL_SEED, category)), category);
    }
  }
});

test('prompts come in several locales, and scenes match their category', () => {
  const geneval = suiteCases(suitesNamed('geneval')![0]);
  assert.ok(new Set(geneval.map((c) => (c.task === 't2i' ? c.locale : ''))).size >= 4);
  for (const c of geneval) {
    if (c.task !== 't2i') continue;
    if (c.category === 'geneval/counting') assert.equal(c.scene.layout.kind, 'count');
    if (c.category === 'geneval/position') assert.equal(c.scene.objects.length, 2);
    if (c.category === 'geneval/colors') assert.ok(c.scene.objects[0].color, c.prompt);
  }
});

test('understanding captions 2×2 grids in a category of their own, open questions on four objects', () => {
  const cases = suiteCases(suitesNamed('understanding')![0]).filter((c) => c.category === 'understanding/caption-2x2');
  assert.equal(cases.length, 8);
  for (const c of cases) {
    assert.ok(c.task === 'i2t' && c.open, c.id);
    assert.deepEqual(c.scene.layout, { kind: 'grid', rows: 2, cols: 2 }, c.id);
    assert.equal(c.scene.objects.length, 4, c.id);
  }
  // The other captions still draw any layout.
  const layouts = suiteCases(suitesNamed('understanding')![0], EVAL_SEED, 200).flatMap((c) => (c.category === 'understanding/caption' && c.task === 'i2t' ? [c.scene.layout.kind] : []));
  assert.ok(new Set(layouts).size >= 2, layouts.join(','));
});

test('a scope keeps every case within its concepts and styles', () => {
  const scope = { vocabulary: 'starter', styles: ['noto', 'twemoji'] } as const satisfies EvalScope;
  const starter = new Set(starterVocabulary().map((c) => c.id));
  // Restyle's targets are in other styles by design: only its sources are checked.
  const scenes = (cases: EvalCase[]) =>
    cases.flatMap((c) => {
      if (c.task === 't2i' || c.task === 'i2t') return [c.scene];
      if (c.task === 'multiturn') return c.turns.map((t) => t.scene);
      if (c.task === 'edit') return [c.source, c.target];
      return c.task === 'restyle' ? [c.source] : [];
    });
  let emoji = 0;
  for (const suite of suitesNamed(ALL)!) {
    // The 16-object prompt is one fixed scene.
    const cases = suiteCases(suite, EVAL_SEED, undefined, { ...scope, styles: [...scope.styles] }).filter((c) => c.category !== 'dense/sixteen-objects');
    for (const scene of scenes(cases)) {
      for (const o of scene.objects) {
        if (o.kind !== 'emoji') continue;
        emoji++;
        assert.ok(starter.has(o.concept), `${suite.name}: ${o.concept} is not a starter concept`);
        const style = o.style ?? scene.style;
        assert.ok((scope.styles as readonly string[]).includes(style), `${suite.name}: style ${style}`);
      }
    }
  }
  assert.ok(emoji > 100, `only ${emoji} emoji drawn`);
  // The full scope draws from the whole core vocabulary.
  const full = scenes(suiteCases(suitesNamed('understanding')![0])).flatMap((s) => s.objects.flatMap((o) => (o.kind === 'emoji' ? [o.concept] : [])));
  assert.ok(full.some((id) => !starter.has(id)));
});

test('"all" runs every suite but smoke', () => {
  const names = suitesNamed(ALL)!.map((s) => s.name);
  assert.ok(!names.includes('smoke'));
  assert.equal(names.length, SUITES.length - 1);
  assert.equal(suitesNamed('genevall'), undefined);
});

test('edit-locked runs the edit suite\'s scenes (background edits aside) with the changed boxes as the mask', () => {
  const edits = suiteCases(suitesNamed('edit')![0]);
  const locked = suiteCases(suitesNamed('edit-locked')![0]);
  assert.equal(locked.length, edits.filter((c) => c.category !== 'edit/background').length);
  for (const c of locked) {
    assert.ok(c.task === 'edit' && c.kind !== 'background' && c.mask && c.mask.length > 0, c.id);
    const twin = edits.find((e) => e.id === c.id.replace(/^edit-locked\//, 'edit/'));
    assert.ok(twin && twin.task === 'edit' && !twin.mask, c.id);
    assert.deepEqual(c.source, twin.source);
    // Every object the target has that the source lacks lies inside the mask.
    for (const o of c.target.objects.filter((t) => !c.source.objects.some((s) => JSON.stringify(s) === JSON.stringify(t)))) {
      assert.ok(c.mask.some((b) => JSON.stringify(b) === JSON.stringify(o.box)), `${c.id}: ${JSON.stringify(o.box)} not masked`);
    }
  }
});

test("placement 'grid' stands every object of every scene on the code grid; 'free', the default, draws the cases it always did", () => {
  const starter = { vocabulary: 'starter', styles: ['noto', 'twemoji'] } as const;
  const onGrid = (v: number) => Math.abs(v * 16 - Math.round(v * 16)) < 1e-6;
  const scenes = (cases: EvalCase[]) => cases.flatMap((c) => (c.task === 'edit' ? [c.source, c.target] : c.task === 't2i' || c.task === 'i2t' ? [c.scene] : []));
  for (const name of ['edit', 'understanding', 'dense']) {
    const suite = suitesNamed(name)![0];
    const free = suiteCases(suite, EVAL_SEED, 48, { ...starter, styles: [...starter.styles], placement: 'free' });
    assert.deepEqual(suiteCases(suite, EVAL_SEED, 48, { ...starter, styles: [...starter.styles] }), free, `${name}: free is the default`);
    // The fixed sixteen-object prompt keeps its own boxes, and an 8×8 cell (two codes a side) too: no code fits inside its margin (snapBox).
    const boxes = (cases: EvalCase[]) => scenes(cases.filter((c) => c.category !== 'dense/sixteen-objects' && c.category !== 'dense/8x8')).flatMap((s) => s.objects.map((o) => o.box));
    const gridBoxes = boxes(suiteCases(suite, EVAL_SEED, 48, { ...starter, styles: [...starter.styles], placement: 'grid' }));
    assert.ok(gridBoxes.length > 40, `${name}: ${gridBoxes.length} boxes`);
    for (const b of gridBoxes) assert.ok([b.x, b.y, b.x + b.w, b.y + b.h].every(onGrid), `${name}: ${JSON.stringify(b)} is off the grid`);
    assert.ok(boxes(free).some((b) => ![b.x, b.y].every(onGrid)), `${name}: free placement stood everything on the grid`);
  }
});
