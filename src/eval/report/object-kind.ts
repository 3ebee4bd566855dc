/**
 * What a one-object text→image case asks for, in the groups where the model's misses (and the VQ's)
 * differ: an emoji in its own colors, recolored, in two tones, pattern-filled or wearing something;
 * a shape or a word, one color or patterned. Reports carry it per case, and summaries and
 * comparisons count passes by it, so that a category's rate can be read group by group.
 */
import type { SceneObject } from '../../world/scene/scene.ts';
import type { EvalCase } from '../suites/eval-case.ts';
import { hintsFor } from '../verifier/verifier.ts';

export const OBJECT_KINDS = [
  'emoji in its own colors',
  'emoji recolored',
  'emoji in two tones',
  'emoji pattern-filled',
  'emoji wearing an accessory',
  'shape, one color',
  'shape, patterned',
  'word, one color',
  'word, patterned',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export function objectKind(o: SceneObject): ObjectKind {
  // The accessory first: the verifier reads a wearer in its own colors whatever its paint.
  if (o.kind === 'emoji' && o.accessory) return 'emoji wearing an accessory';
  const { paint } = hintsFor(o);
  if (o.kind === 'emoji') return paint === 'pattern' ? 'emoji pattern-filled' : paint === 'two-tone' ? 'emoji in two tones' : paint === 'solid' ? 'emoji recolored' : 'emoji in its own colors';
  const what = o.kind === 'shape' ? 'shape' : 'word';
  return `${what}, ${paint === 'pattern' ? 'patterned' : 'one color'}`;
}

/** The kind of a text→image case that asks for exactly one object; undefined for any other case. */
export function caseObjectKind(c: EvalCase): ObjectKind | undefined {
  return c.task === 't2i' && c.scene.objects.length === 1 ? objectKind(c.scene.objects[0]) : undefined;
}

/** `items` grouped by category, then by object kind in OBJECT_KINDS' order; empty groups left out. */
export function groupByObjectKind<T>(
  categories: readonly string[],
  items: readonly T[],
  categoryOf: (item: T) => string,
  kindOf: (item: T) => ObjectKind | undefined,
): { category: string; kind: ObjectKind; items: T[] }[] {
  return categories.flatMap((category) =>
    OBJECT_KINDS.map((kind) => ({ category, kind, items: items.filter((item) => categoryOf(item) === category && kindOf(item) === kind) })).filter((group) => group.items.length > 0),
  );
}
