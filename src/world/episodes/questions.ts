import { en, pluralize } from '../caption/lexicons/en.ts';
import { objectWords, type ConceptNames } from '../caption/object-names.ts';
import { relationOf } from '../caption/describe-scene.ts';
import { conceptById } from '../catalog/concepts.ts';
import type { Random } from '../random.ts';
import type { Scene, SceneObject } from '../scene/scene.ts';

export interface QuestionAnswer {
  question: string;
  answer: string;
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** The bare noun of an object ("cat", "star"), what a counting question asks about. */
function noun(o: SceneObject, names: ConceptNames): string {
  if (o.kind === 'shape') return en.shapes[o.shape];
  if (o.kind === 'text') return 'words';
  return names.name(conceptById().get(o.concept)!, 'en');
}

/** A question about the scene whose answer the scene JSON settles exactly. */
export function sampleQuestion(rng: Random, scene: Scene, names: ConceptNames): QuestionAnswer {
  const describe = (o: SceneObject) => en.object(objectWords(o, 'en', names), 0);
  const kinds = ['what'];
  if (scene.layout.kind === 'grid') kinds.push('cell', 'cell');
  if (scene.layout.kind === 'count') kinds.push('count', 'count');
  if (scene.layout.kind === 'free') kinds.push('where');
  kinds.push('background');
  switch (rng.pick(kinds)) {
    case 'cell': {
      const o = rng.pick(scene.objects);
      return { question: `what is in row ${o.cell!.row + 1}, column ${o.cell!.col + 1}?`, answer: describe(o) };
    }
    case 'count': {
      const o = scene.objects[0];
      const plural = o.kind === 'text' ? 'words' : pluralize(noun(o, names));
      return { question: rng.pick([`how many ${plural}?`, `count the ${plural}`]), answer: `${scene.objects.length} (${NUMBER_WORDS[scene.objects.length]})` };
    }
    case 'where': {
      const [a, b] = rng.sample(scene.objects, 2);
      return { question: `where is ${describe(a).replace(/^(a|an) /, 'the ')} relative to ${describe(b).replace(/^(a|an) /, 'the ')}?`, answer: relationOf(a, b) };
    }
    case 'background':
      return { question: 'what color is the background?', answer: scene.background };
    default:
      return { question: rng.pick(['what is in this image?', 'describe the image', 'what do you see?']), answer: '' };
  }
}
