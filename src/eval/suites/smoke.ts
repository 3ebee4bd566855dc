/**
 * The CI smoke suite: a case from most task families, on scenes of shapes only, so that the
 * verifier's small test bank (src/eval/verifier/test-bank.ts, built in memory in seconds on a quiet
 * machine) reads them. Runs in seconds on the tiny fixture. Restyle and character need emoji and are left to the full
 * suites.
 */
import { sampleEdit } from '../../world/episodes/edits.ts';
import { editRegion } from '../score/score-edit.ts';
import type { EvalCase, Suite } from './eval-case.ts';
import { caseRandom, conceptNames, drawUntil, worldWith, type EvalScope } from './eval-world.ts';
import { imageCases } from './image-cases.ts';
import { speedCases } from './speed.ts';
import { understandCases } from './understanding.ts';

const SHAPES_ONLY = { objectKinds: { emoji: 0, shape: 1, text: 0 }, fillPattern: 0, coloredBackground: 0 };
const only = (layout: 'single' | 'grid' | 'count') => worldWith({ ...SHAPES_ONLY, layouts: { single: 0, grid: 0, free: 0, count: 0, [layout]: 1 }, grids: [[2, 2, 1]], maxCount: 3 });
const singles = only('single');
const grids = only('grid');
const counts = only('count');

function smokeCases(seed: number, scope: EvalScope): EvalCase[] {
  const [single, grid, counting] = [singles(scope), grids(scope), counts(scope)];
  // One prompt of each scene: the English one.
  const one = <T>(cases: T[]) => cases.slice(0, 1);
  const rng = caseRandom(seed, 'smoke/edit', 0);
  const edit = drawUntil(rng, (r) => sampleEdit(r, grid.scene(r), grid, conceptNames()), (e) => e.kind === 'recolor');
  return [
    ...one(imageCases(seed, { category: 'smoke/single-object', scenes: 1, draw: (r) => single.scene(r) })),
    ...one(imageCases(seed, { category: 'smoke/2x2', scenes: 1, draw: (r) => grid.scene(r) })),
    ...one(imageCases(seed, { category: 'smoke/counting', scenes: 1, draw: (r) => drawUntil(r, (d) => counting.scene(d), (s) => s.objects.length >= 2) })),
    { id: 'smoke/edit/0', suite: 'smoke', category: 'smoke/edit', task: 'edit', seed: 1, kind: edit.kind, instruction: edit.instruction, source: edit.source, target: edit.target },
    { id: 'smoke/edit-locked/0', suite: 'smoke', category: 'smoke/edit-locked', task: 'edit', seed: 1, kind: edit.kind, instruction: edit.instruction, source: edit.source, target: edit.target, mask: editRegion(edit.source, edit.target) },
    ...understandCases(seed, false, 1, scope, { world: grids, category: 'smoke/understanding' }),
    ...speedCases(1, [1]).map((c) => ({ ...c, id: 'smoke/speed/0', suite: 'smoke', category: 'smoke/speed' })),
  ];
}

export const smoke: Suite = {
  name: 'smoke',
  summary: 'CI smoke: a few shape-only cases across tasks, for the tiny fixture (seconds)',
  cases: smokeCases,
};
