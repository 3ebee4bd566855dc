/**
 * Editing: the world's own edit pairs (src/world/episodes/edits.ts) on 2×2 and 3×3 grids, the same
 * number of each kind. Scored on the named object, and on the rest staying as it was.
 * `edit-locked` runs the same edits with the region they change as the mask (locked tokens: every
 * other cell is forced to the source's code), which is how Tessera keeps what was not asked to change.
 */
import type { EditPair } from '../../world/episodes/edits.ts';
import { sampleEdit } from '../../world/episodes/edits.ts';
import { editRegion } from '../score/score-edit.ts';
import type { EditCase, Suite } from './eval-case.ts';
import { caseRandom, conceptNames, drawUntil, interleave, worldWith, type EvalScope } from './eval-world.ts';

const world = worldWith({ layouts: { single: 0, grid: 1, free: 0, count: 0 }, grids: [[2, 2, 1], [3, 3, 1]] });

export const EDIT_KINDS: EditPair['kind'][] = ['replace', 'recolor', 'add', 'remove', 'move', 'swap', 'background', 'text'];

/** `count` edits of one kind: scenes and edits drawn until the world's sampler picks that kind. */
export function editCases(seed: number, kind: EditPair['kind'], count: number, scope: EvalScope): EditCase[] {
  const category = `edit/${kind}`;
  const sampler = world(scope);
  return Array.from({ length: count }, (_, i) => {
    const rng = caseRandom(seed, category, i);
    const edit = drawUntil(rng, (r) => sampleEdit(r, sampler.scene(r), sampler, conceptNames()), (e) => e.kind === kind, 5000);
    return { id: `${category}/${i}`, suite: 'edit', category, task: 'edit', seed: rng.int(0, 2 ** 31 - 1), kind, instruction: edit.instruction, source: edit.source, target: edit.target };
  });
}

export const editing: Suite = {
  name: 'edit',
  summary: 'Editing: the named object is right; untouched cells are unchanged (tokens and pixel PSNR)',
  cases: (seed, scope, size = 1) => interleave(EDIT_KINDS.map((kind) => editCases(seed, kind, 3 * size, scope))),
};

/** An edit case of `edit` as one of `edit-locked`: the boxes it changes become its mask. */
function locked(c: EditCase): EditCase {
  const rename = (name: string) => name.replace(/^edit\//, 'edit-locked/');
  return { ...c, id: rename(c.id), suite: 'edit-locked', category: rename(c.category), mask: editRegion(c.source, c.target) };
}

/** A background edit repaints everything: no region to lock the rest of. */
const LOCKABLE = EDIT_KINDS.filter((kind) => kind !== 'background');

export const lockedEditing: Suite = {
  name: 'edit-locked',
  summary: 'Locked-token editing: the same edits with the changed region as the mask; outside it every code must stay the source\'s',
  cases: (seed, scope, size = 1) => interleave(LOCKABLE.map((kind) => editCases(seed, kind, 3 * size, scope).map(locked))),
};
