import { FACES_FOR_SCRIPT, fontFamily, SCRIPTS, type FontFace, type Script } from '../../world/catalog/fonts.ts';
import { NUMBERS, WORDS } from '../../world/catalog/words.ts';

export interface TextCandidate {
  text: string;
  face: FontFace;
  script: Script;
}

/**
 * Every piece of text the world writes, once per distinct font that can draw it: each script's words
 * in that script's faces, and the numbers in every script's faces (the sampler writes numbers in any
 * script's font). Pairs that resolve to the same font family are kept once.
 */
export function textCandidates(): TextCandidate[] {
  const out: TextCandidate[] = [];
  const seen = new Set<string>();
  const add = (text: string, face: FontFace, script: Script) => {
    const key = `${text}\u0000${fontFamily(face, script)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ text, face, script });
  };
  for (const script of SCRIPTS) {
    for (const face of FACES_FOR_SCRIPT[script]) {
      for (const word of WORDS[script]) add(word, face, script);
      for (const number of NUMBERS) add(number, face, script);
    }
  }
  return out;
}
