import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editableCells, lockedCodes } from './mask.ts';
import { encodePng } from './image-files.ts';

const cellsOf = (editable: Uint8Array) => [...editable.keys()].filter((i) => editable[i]);

/** An opaque RGBA mask with a transparent rectangle [x0, x1) x [y0, y1). */
function alphaMask(size: number, x0: number, y0: number, x1: number, y1: number) {
  const data = new Uint8Array(size * size * 4).fill(255);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[(y * size + x) * 4 + 3] = 0;
  return { width: size, height: size, data };
}

test('alpha == 0 marks the cells to edit, at any mask size', async () => {
  assert.deepEqual(cellsOf(await editableCells(alphaMask(128, 0, 0, 16, 8), 16)), [0, 1]);
  assert.deepEqual(cellsOf(await editableCells(alphaMask(32, 31, 31, 32, 32), 16)), [255]);
  assert.deepEqual(cellsOf(await editableCells(alphaMask(16, 0, 0, 0, 0), 16)), []);
});

test('a PNG mask reads like its pixels', async () => {
  const mask = alphaMask(64, 60, 0, 64, 4);
  assert.deepEqual(cellsOf(await editableCells(await encodePng(mask), 16)), [15]);
});

test('cells and boxes', async () => {
  assert.deepEqual(cellsOf(await editableCells({ cells: [{ row: 1, col: 2 }] }, 16)), [18]);
  await assert.rejects(editableCells({ cells: [{ row: 16, col: 0 }] }, 16), { code: 'bad-input' });
  // The top-right quarter; edges that only touch a cell do not claim it.
  const quarter = cellsOf(await editableCells({ boxes: [{ x: 0.5, y: 0, w: 0.5, h: 0.5 }] }, 16));
  assert.equal(quarter.length, 64);
  assert.ok(quarter.every((i) => i % 16 >= 8 && i < 128));
  assert.deepEqual(cellsOf(await editableCells({ boxes: [{ x: 0.01, y: 0.01, w: 0.01, h: 0.01 }] }, 16)), [0]);
});

test('lockedCodes keeps the source outside the mask', () => {
  assert.deepEqual([...lockedCodes([4, 5, 6], Uint8Array.of(0, 1, 0))], [4, -1, 6]);
});
