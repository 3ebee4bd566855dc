import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellBox, snapBox, type Box } from './scene.ts';

const onLattice = (v: number, lattice: number) => Math.abs(v * lattice - Math.round(v * lattice)) < 1e-9;

test('an inward-snapped box lies on the lattice, inside the original', () => {
  for (const box of [cellBox({ row: 0, col: 1 }, 2, 2), cellBox({ row: 0, col: 0 }, 1, 2), { x: 0.137, y: 0.52, w: 0.31, h: 0.29 }]) {
    const s = snapBox(box, 16, 'inward');
    for (const v of [s.x, s.y, s.w, s.h]) assert.ok(onLattice(v, 16), `${JSON.stringify(s)} off the lattice`);
    assert.ok(s.x >= box.x - 1e-9 && s.y >= box.y - 1e-9 && s.x + s.w <= box.x + box.w + 1e-9 && s.y + s.h <= box.y + box.h + 1e-9);
    // An emoji centered in it starts on the lattice too: the sides differ by an even count of cells.
    assert.ok(onLattice((s.h - s.w) / 2, 16) && onLattice((s.w - s.h) / 2, 16));
  }
});

test('the cells of a 2×2 grid snap to the same offset in each cell, so they cover codes alike', () => {
  const boxes = [0, 1].flatMap((row) => [0, 1].map((col) => snapBox(cellBox({ row, col }, 2, 2), 16, 'inward')));
  const offsets = boxes.map((b) => [b.x % 0.5, b.y % 0.5, b.w, b.h].map((v) => Math.round(v * 16)));
  for (const o of offsets) assert.deepEqual(o, offsets[0]);
  assert.deepEqual(offsets[0], [1, 1, 6, 6]); // 8 px margins, 48 px objects
});

test('nearest snapping keeps a large single object large and inside the image', () => {
  const s = snapBox({ x: 0.124, y: 0.075, w: 0.8, h: 0.8 }, 16, 'nearest');
  assert.deepEqual(s, { x: 2 / 16, y: 1 / 16, w: 13 / 16, h: 13 / 16 });
  const edge = snapBox({ x: 0.2, y: 0, w: 0.8, h: 0.8 }, 16, 'nearest');
  assert.ok(edge.x + edge.w <= 1 && edge.w === 13 / 16, JSON.stringify(edge));
});

test('a box too small for one lattice cell is left where it was', () => {
  const tiny: Box = { x: 0.01, y: 0.01, w: 0.05, h: 0.05 };
  assert.deepEqual(snapBox(tiny, 16, 'inward'), tiny);
});
