/** Every suite by name, in the order `--suite all` runs them. Add one line per suite. */
import { character } from './character.ts';
import { dense } from './dense.ts';
import { editing, lockedEditing } from './editing.ts';
import type { EvalCase, Suite } from './eval-case.ts';
import { EVAL_SEED, FULL_SCOPE, type EvalScope } from './eval-world.ts';
import { geneval } from './geneval.ts';
import { restyle } from './restyle.ts';
import { smoke } from './smoke.ts';
import { speed } from './speed.ts';
import { textRendering } from './text-rendering.ts';
import { understanding } from './understanding.ts';

export const SUITES: readonly Suite[] = [geneval, dense, textRendering, editing, lockedEditing, restyle, character, understanding, speed, smoke];

/** `all` is every suite but smoke (smoke's cases are a cut-down copy of theirs). */
export const ALL = 'all';

export function suiteNames(): string[] {
  return [...SUITES.map((s) => s.name), ALL];
}

/** The suites a `--suite` value names: one, or every one but smoke for `all`. Undefined when unknown. */
export function suitesNamed(name: string): Suite[] | undefined {
  if (name === ALL) return SUITES.filter((s) => s !== smoke);
  const suite = SUITES.find((s) => s.name === name);
  return suite ? [suite] : undefined;
}

/**
 * A suite's cases for a base seed, cut to the first `limit` (categories are interleaved, so all stay).
 * A limit above the fixed set draws that many: every category grows by the same whole factor.
 */
export function suiteCases(suite: Suite, seed = EVAL_SEED, limit?: number, scope: EvalScope = FULL_SCOPE): EvalCase[] {
  const cases = suite.cases(seed, scope);
  if (limit === undefined) return cases;
  const size = cases.length > 0 && limit > cases.length ? Math.ceil(limit / cases.length) : 1;
  return (size > 1 ? suite.cases(seed, scope, size) : cases).slice(0, limit);
}
