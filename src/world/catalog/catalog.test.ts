import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allConcepts, LOCALES } from './concepts.ts';
import { coreVocabulary, REQUIRED_CONCEPTS, starterVocabulary } from './core-vocabulary.ts';
import { normalizeCodepoints, STYLE_IDS, styleAssets } from './emoji-styles.ts';
import { ACCESSORY_IDS } from './accessories.ts';

test('codepoints are joined lowercase, dash-separated, without fe0f', () => {
  assert.equal(normalizeCodepoints('1F5FA-FE0F'), '1f5fa');
  assert.equal(normalizeCodepoints('2764-FE0F-200D-1F525'), '2764-200d-1f525');
});

test('every style draws most of the catalog, joined by codepoint', () => {
  const concepts = allConcepts();
  assert.ok(concepts.length > 1500, `catalog has ${concepts.length} concepts`);
  for (const style of STYLE_IDS) {
    const covered = concepts.filter((c) => c.styles.includes(style)).length / concepts.length;
    // Fluent has the fewest emoji of the five; the others cover over 90%.
    assert.ok(covered > 0.75, `${style} covers only ${(covered * 100).toFixed(1)}%`);
  }
});

test('the core vocabulary is ~300 concepts that all five styles have, with the benchmark concepts drawn in all', () => {
  const core = coreVocabulary();
  assert.ok(core.length >= 250 && core.length <= 350, `core has ${core.length}`);
  const ids = new Set(core.map((c) => c.id));
  for (const id of [...REQUIRED_CONCEPTS, ...ACCESSORY_IDS]) assert.ok(ids.has(id), `core lacks ${id}`);
  for (const c of core) for (const style of STYLE_IDS) assert.ok(styleAssets(style).codepoints.has(c.codepoints), `${style} has no ${c.id}`);
  // A style is dropped only where its picture is another concept's (distinct-artwork.ts): rarely.
  const drawnInAll = core.filter((c) => c.styles.length === STYLE_IDS.length);
  assert.ok(drawnInAll.length >= core.length - 3, `${core.length - drawnInAll.length} concepts lack a style`);
  for (const id of REQUIRED_CONCEPTS) assert.deepEqual(core.find((c) => c.id === id)!.styles, STYLE_IDS, `${id} is missing a style`);
});

test('the starter vocabulary is the benchmark concepts and one core concept of every subgroup', () => {
  const core = coreVocabulary();
  const starter = starterVocabulary();
  const ids = new Set(starter.map((c) => c.id));
  assert.ok(starter.length >= 30 && starter.length <= 60, `starter has ${starter.length}`);
  for (const c of starter) assert.ok(core.includes(c), `${c.id} is not a core concept`);
  for (const id of REQUIRED_CONCEPTS) assert.ok(ids.has(id), `starter lacks ${id}`);
  assert.deepEqual(new Set(starter.map((c) => c.subgroup)), new Set(core.map((c) => c.subgroup)));
});

test('every core concept has a name in every locale, and its assets load in every style', () => {
  for (const c of coreVocabulary()) {
    for (const locale of LOCALES) assert.ok(c.names[locale].length > 0, `${c.id} has no ${locale} name`);
  }
  const sample = coreVocabulary().filter((_, i) => i % 25 === 0);
  for (const style of STYLE_IDS) {
    for (const c of sample) {
      const asset = styleAssets(style).load(c.codepoints);
      assert.ok(asset.kind === 'svg' ? asset.svg.includes('<svg') : asset.bytes.length > 100, `${style}/${c.id}`);
    }
  }
});

test('a missing emoji is reported by name, not a crash', () => {
  assert.throws(() => styleAssets('twemoji').load('fffff'), /Twemoji has no emoji for codepoint fffff/);
});
