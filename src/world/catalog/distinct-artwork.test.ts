import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allConcepts } from './concepts.ts';
import { coreVocabulary } from './core-vocabulary.ts';
import { artworkHash, withDistinctArtwork } from './distinct-artwork.ts';
import { STYLE_IDS } from './emoji-styles.ts';

test('no two concepts of the core vocabulary share a picture in any style they are drawn in', () => {
  for (const style of STYLE_IDS) {
    const owner = new Map<string, string>();
    for (const c of coreVocabulary().filter((c) => c.styles.includes(style))) {
      const picture = artworkHash(style, c.codepoints);
      assert.equal(owner.get(picture), undefined, `${style} draws ${c.id} as it draws ${owner.get(picture)}`);
      owner.set(picture, c.id);
    }
  }
});

test('a shared picture stays with the preferred concept, or else the first; the other loses only that style', () => {
  // The Fluent packages ship one file for the cat face and the grinning cat; other styles draw two.
  const cats = allConcepts().filter((c) => c.id === 'grinning-cat' || c.id === 'cat-face');
  assert.deepEqual(
    cats.map((c) => c.styles),
    [STYLE_IDS, STYLE_IDS],
  );
  const kept = (concepts: ReturnType<typeof allConcepts>, id: string) => concepts.find((c) => c.id === id)!.styles;
  const preferringCatFace = withDistinctArtwork(cats, ['cat-face']);
  assert.deepEqual(kept(preferringCatFace, 'cat-face'), STYLE_IDS);
  assert.deepEqual(kept(preferringCatFace, 'grinning-cat'), ['noto', 'twemoji', 'openmoji']);
  const inOrder = withDistinctArtwork(cats);
  assert.deepEqual(kept(inOrder, cats[0].id), STYLE_IDS);
  assert.deepEqual(kept(inOrder, cats[1].id), ['noto', 'twemoji', 'openmoji']);
  assert.deepEqual(inOrder.map((c) => c.id), cats.map((c) => c.id), 'order is kept');
});
