/**
 * Character consistency: the character is right when first drawn, and again in the second scene
 * (with every attribute: its colors and what it wears are what only the first turn says). The turns
 * name no emoji style, so the first may draw any; the second must keep the one the first drew.
 */
import type { SceneObject } from '../../world/scene/scene.ts';
import type { CharacterCase } from '../suites/eval-case.ts';
import type { Rgba } from '../verifier/image.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { scoreImage } from './score-image.ts';
import type { Scored } from './scored.ts';

const look = ({ box: _box, cell: _cell, ...rest }: SceneObject) => JSON.stringify(rest);

export function scoreCharacter(verifier: Verifier, outputs: Rgba[], c: CharacterCase): Scored {
  const first = outputs[0] ? scoreImage(verifier, outputs[0], c.turns[0].scene, { style: 'any' }) : undefined;
  const drawnStyle = first?.objects[0]?.read.style;
  const second = outputs[1] ? scoreImage(verifier, outputs[1], c.turns[1].scene, { style: drawnStyle ?? 'any' }) : undefined;
  const character = look(c.turns[0].scene.objects[0]);
  const at = c.turns[1].scene.objects.findIndex((o) => look(o) === character);
  const again = !!second?.objects[at]?.correct;
  const consistent = !!first?.pass && again;
  return {
    score: Number(consistent),
    pass: consistent && !!second?.pass,
    metrics: { first: Number(!!first?.pass), again: Number(again), scene: second?.score ?? 0 },
    marks: second?.marks ?? [],
    note: `turn 1 ${first?.pass ? 'right' : 'wrong'} (${first?.note ?? 'no image'}); turn 2 character ${again ? 'right' : 'wrong'}, scene ${second?.note ?? 'no image'}`,
  };
}
