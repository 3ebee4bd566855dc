import { createHash } from 'node:crypto';
import type { Concept } from '../../world/catalog/concepts.ts';
import { styleAssets, STYLE_IDS, type StyleId } from '../../world/catalog/emoji-styles.ts';

/**
 * Concepts the world draws identically in one style: their emoji assets are the same picture (the
 * Fluent packages ship one drawing for both "cat face" and "grinning cat"). No reader can tell them
 * apart in that style, so reading either one is reading what the world draws. Keyed by
 * "style/concept"; the set holds its twins in that style, never the concept itself.
 */
export type Twins = Map<string, Set<string>>;

/** Twins among `concepts`, from the bytes of their assets (a few hundred file reads). */
export function findTwins(concepts: readonly Concept[], styles: readonly StyleId[] = STYLE_IDS): Twins {
  const twins: Twins = new Map();
  for (const style of styles) {
    const assets = styleAssets(style);
    const byPicture = new Map<string, string[]>();
    for (const c of concepts) {
      if (!assets.codepoints.has(c.codepoints)) continue;
      const asset = assets.load(c.codepoints);
      const picture = createHash('sha256')
        .update(asset.kind === 'svg' ? asset.svg : asset.bytes)
        .digest('hex');
      byPicture.set(picture, [...(byPicture.get(picture) ?? []), c.id]);
    }
    for (const ids of byPicture.values()) {
      if (ids.length < 2) continue;
      for (const id of ids) twins.set(`${style}/${id}`, new Set(ids.filter((other) => other !== id)));
    }
  }
  return twins;
}

/** Whether `read` (drawn in `style`) is `expected`, or a picture the world draws identically in that style. */
export function sameConcept(twins: Twins, style: string | undefined, read: string, expected: string): boolean {
  return read === expected || (style !== undefined && twins.get(`${style}/${read}`)?.has(expected) === true);
}
