/**
 * Character consistency across turns: the world's two-turn character episodes
 * (src/world/episodes/character.ts): a character drawn alone, then placed in a new scene that only
 * the conversation says how it looks.
 */
import { sampleCharacterTurns } from '../../world/episodes/character.ts';
import type { CharacterCase, Suite } from './eval-case.ts';
import { caseRandom, conceptNames, worldWith, type EvalScope } from './eval-world.ts';

const world = worldWith({});

export function characterCases(seed: number, count: number, scope: EvalScope): CharacterCase[] {
  const sampler = world(scope);
  return Array.from({ length: count }, (_, i) => {
    const rng = caseRandom(seed, 'character', i);
    const turns = sampleCharacterTurns(rng, sampler, conceptNames(), sampler.scene(rng.fork(1)));
    return { id: `character/${i}`, suite: 'character', category: 'character', task: 'multiturn', seed: rng.int(0, 2 ** 31 - 1), turns };
  });
}

export const character: Suite = {
  name: 'character',
  summary: 'Character consistency across two turns',
  cases: (seed, scope, size = 1) => characterCases(seed, 10 * size, scope),
};
