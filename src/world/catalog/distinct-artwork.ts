import { createHash } from 'node:crypto';
import type { Concept } from './concepts.ts';
import { STYLE_IDS, styleAssets, type StyleId } from './emoji-styles.ts';

/** A fingerprint of the picture a style draws for these codepoints: the asset's bytes, hashed. */
export function artworkHash(style: StyleId, codepoints: string): string {
  const asset = styleAssets(style).load(codepoints);
  return createHash('sha256')
    .update(asset.kind === 'svg' ? asset.svg : asset.bytes)
    .digest('hex');
}

/**
 * The concepts with each style kept only where its picture is the concept's own. Some packages ship
 * one file for two emoji (Fluent draws "cat face" and "grinning cat" alike): drawing both would teach
 * two labels for one picture, and no reader could tell which was meant. The first concept to use a
 * picture keeps it, the `preferred` ones before the rest (a benchmark's concepts must stay drawable
 * in every style); the others lose that style. Reads every asset once (a few seconds for ~300 concepts).
 */
export function withDistinctArtwork(concepts: readonly Concept[], preferred: readonly string[] = []): Concept[] {
  const rank = (c: Concept) => (preferred.includes(c.id) ? 0 : 1);
  const byPriority = [...concepts].sort((a, b) => rank(a) - rank(b));
  const dropped = new Map<string, Set<StyleId>>();
  for (const style of STYLE_IDS) {
    const owners = new Set<string>();
    for (const c of byPriority) {
      if (!c.styles.includes(style)) continue;
      const picture = artworkHash(style, c.codepoints);
      if (owners.has(picture)) dropped.set(c.id, (dropped.get(c.id) ?? new Set()).add(style));
      owners.add(picture);
    }
  }
  return concepts.map((c) => {
    const lost = dropped.get(c.id);
    return lost ? { ...c, styles: c.styles.filter((s) => !lost.has(s)) } : c;
  });
}
