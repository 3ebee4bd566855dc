/**
 * Understanding scoring by the world's own words. An open question's reply is scored by the share of
 * the scene's things it names (any English name the world's captions may use for them); a closed
 * question's reply must contain its answer: the number, the relation, the background color, or the
 * asked-for object's name (and its color, when it has one).
 */
import { BACKGROUND_NAMES } from '../../world/catalog/colors.ts';
import { conceptById } from '../../world/catalog/concepts.ts';
import { ENGLISH_ALIASES } from '../../world/catalog/core-vocabulary.ts';
import { en } from '../../world/caption/lexicons/en.ts';
import { objectWords } from '../../world/caption/object-names.ts';
import type { SceneObject } from '../../world/scene/scene.ts';
import type { UnderstandCase } from '../suites/eval-case.ts';
import { conceptNames } from '../suites/eval-world.ts';
import { expectedLabel } from '../verifier/verifier.ts';
import { mean, type Scored } from './scored.ts';

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const RELATIONS = ['left of', 'right of', 'above', 'below'];

/**
 * Every English name a caption may give an object. Emoji: aliases, the emojibase label and all its
 * keywords (captions use the keywords unique to the concept; all of them is a little lenient).
 */
export function objectNames(o: SceneObject): string[] {
  if (o.kind === 'shape') return [en.shapes[o.shape]];
  if (o.kind === 'text') return [o.text];
  const concept = conceptById().get(o.concept)!;
  return [...(ENGLISH_ALIASES[o.concept] ?? []), concept.names.en, ...concept.keywords.en];
}

/** Whether `text` says `phrase` as whole words (any substring for non-Latin text, which has no spaces). */
export function says(text: string, phrase: string): boolean {
  const t = text.toLowerCase();
  const p = phrase.toLowerCase();
  if (!/^[\x20-\x7e]+$/.test(p)) return t.includes(p);
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}(s|es)?($|[^a-z0-9])`).test(t);
}

const names = (o: SceneObject, reply: string) => objectNames(o).some((n) => says(reply, n));

export function scoreAnswer(reply: string, c: UnderstandCase): Scored {
  if (c.open) {
    // Each distinct thing once: a counting scene's copies are one thing.
    const things = [...new Map(c.scene.objects.map((o) => [expectedLabel(o), o])).values()];
    const named = things.map((o) => names(o, reply));
    const share = mean(named.map(Number));
    return { score: share, pass: named.every(Boolean), metrics: { named: share }, marks: [], note: `named ${named.filter(Boolean).length}/${things.length}` };
  }
  const ok = answers(reply, c);
  return { score: Number(ok), pass: ok, metrics: { answered: Number(ok) }, marks: [], note: `expected "${c.answer}"` };
}

/** The world's closed answers (src/world/episodes/questions.ts): a count, a relation, a background, or an object. */
function answers(reply: string, c: UnderstandCase): boolean {
  const count = /^(\d+) \((\w+)\)$/.exec(c.answer);
  if (count) return says(reply, count[1]) || says(reply, NUMBER_WORDS[Number(count[1])] ?? count[2]);
  if (RELATIONS.includes(c.answer)) return says(reply, c.answer);
  if ((BACKGROUND_NAMES as readonly string[]).includes(c.answer)) return says(reply, c.answer);
  const object = c.scene.objects.find((o) => en.object(objectWords(o, 'en', conceptNames()), 0) === c.answer);
  if (!object) return says(reply, c.answer);
  return names(object, reply) && (!object.color || says(reply, en.colors[object.color]));
}
