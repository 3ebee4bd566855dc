import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { renderScene } from '../../world/render/renderer.ts';
import { cellBox, type Scene, type SceneObject } from '../../world/scene/scene.ts';
import { canvasPixels, estimateBackground, withThresholds } from './image.ts';
import { buildPatternBank, classifyFill, classifyPattern, patternDescriptor, PATTERN_GRIDS, type PatternBank } from './pattern.ts';

let bank: PatternBank;

before(async () => {
  bank = await buildPatternBank(false);
});

type Spec = SceneObject extends infer O ? (O extends SceneObject ? Omit<O, 'box'> : never) : never;

/** A 4×4 scene (cells of 32 px) holding these objects in their cells, rendered. */
async function grid4(specs: Spec[], background: Scene['background']) {
  const objects = specs.map((spec) => ({ ...spec, box: cellBox(spec.cell!, 4, 4) }) as SceneObject);
  const scene: Scene = { size: 128, background, style: 'openmoji', layout: { kind: 'grid', rows: 4, cols: 4 }, objects };
  const pixels = canvasPixels(await renderScene(scene));
  const bg = estimateBackground(pixels);
  return { objects, pixels, bg: withThresholds(bg.color, bg.noise, 0) };
}

test('the pattern references cover every grid size the world and the dense suite draw, 3×3 and 6×6 included', () => {
  for (const size of [1, 2, 3, 4, 6, 8]) assert.ok(PATTERN_GRIDS.includes(size), `${size}×${size}`);
  // Five bodies, seven paints (solid included), three of each, at every size: none is dropped.
  assert.ok(bank.interior.entries.length > 5 * 7 * 3 * 4, `${bank.interior.entries.length} interior references`);
});

test('a small cell\'s fill is read from its interior and all its solid pixels together: thin striped text, a checkered infinity, rainbow text', async () => {
  // Cases of the dense suite (4×4) that the interior alone misread: its few dozen pixels look checkered or striped.
  const white = await grid4(
    [
      { kind: 'text', text: 'नमस्ते', script: 'devanagari', face: 'sans', pattern: 'striped', color: 'black', color2: 'pink', cell: { row: 3, col: 0 } },
      { kind: 'text', text: 'emoji', script: 'latin', face: 'serif', pattern: 'rainbow', cell: { row: 0, col: 0 } },
    ],
    'white',
  );
  const gray = await grid4([{ kind: 'shape', shape: 'infinity', pattern: 'checkered', color: 'purple', color2: 'white', cell: { row: 0, col: 0 } }], 'light gray');
  for (const { objects, pixels, bg } of [white, gray]) {
    for (const o of objects) {
      const interior = patternDescriptor(pixels, o.box, bg);
      const loose = patternDescriptor(pixels, o.box, bg, true);
      assert.ok(interior && loose);
      assert.notEqual(classifyPattern(bank.interior, interior), o.pattern, 'the interior alone is right: the case no longer tests the fix');
      assert.equal(classifyFill(bank, interior, loose), o.pattern, `${o.kind} ${o.pattern}`);
    }
  }
  assert.equal(classifyFill(bank, null, null), undefined);
});
