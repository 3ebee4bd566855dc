/**
 * Edit masks -> locked tokens. A mask marks the region to regenerate; every grid cell outside it is
 * locked to the source image's code, so untouched regions come back token-identical.
 *
 *   image (RGBA, or image file bytes)  alpha == 0 marks pixels to edit; a cell is editable when any
 *                                      of its pixels is (a mask of any size maps onto the grid)
 *   { cells: [{ row, col }] }          grid cells to edit, 0-based
 *   { boxes: [{ x, y, w, h }] }        boxes in [0, 1] image coordinates; every cell they overlap
 *
 * @example
 *   const editable = await editableCells({ boxes: [{ x: 0.5, y: 0, w: 0.5, h: 0.5 }] }, 16);
 *   const locks = lockedCodes(sourceCodes, editable);   // -1 in the top-right quarter, codes elsewhere
 */
import type { RgbaImage } from './events.ts';
import { check } from './errors.ts';
import { isRgba } from './image-input.ts';
import { decodeImageFile } from './image-files.ts';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type EditMask = RgbaImage | Uint8Array | { cells: { row: number; col: number }[] } | { boxes: Box[] };

/** 1 for each grid cell (row-major, grid x grid) to regenerate. */
export async function editableCells(mask: EditMask, grid: number): Promise<Uint8Array> {
  const editable = new Uint8Array(grid * grid);
  if (mask instanceof Uint8Array) return editableCells(await decodeImageFile(mask), grid);
  if (isRgba(mask)) {
    const { width, height, data } = mask;
    check(width > 0 && height > 0 && data.length === width * height * 4, `mask pixels do not fit ${width}x${height} RGBA`);
    for (let y = 0; y < height; y++) {
      const row = Math.floor((y * grid) / height);
      for (let x = 0; x < width; x++) if (data[(y * width + x) * 4 + 3] === 0) editable[row * grid + Math.floor((x * grid) / width)] = 1;
    }
  } else if ('cells' in mask) {
    for (const { row, col } of mask.cells) {
      check(Number.isInteger(row) && Number.isInteger(col) && row >= 0 && col >= 0 && row < grid && col < grid, `cell (${row}, ${col}) outside the ${grid}x${grid} grid`);
      editable[row * grid + col] = 1;
    }
  } else {
    for (const box of mask.boxes) {
      check([box.x, box.y, box.w, box.h].every(Number.isFinite) && box.w >= 0 && box.h >= 0, `bad box ${JSON.stringify(box)}`);
      // Cell c spans [c / grid, (c + 1) / grid); a box edge that only touches a cell does not claim it.
      const span = (from: number, size: number) => [Math.max(0, Math.floor(from * grid)), Math.min(grid, Math.ceil((from + size) * grid))];
      const [r0, r1] = span(box.y, box.h);
      const [c0, c1] = span(box.x, box.w);
      for (let r = r0; r < r1; r++) editable.fill(1, r * grid + c0, r * grid + Math.max(c0, c1));
    }
  }
  return editable;
}

/** Per cell: the source's code where locked, -1 where the model regenerates. */
export function lockedCodes(source: ArrayLike<number>, editable: Uint8Array): Int32Array {
  check(source.length === editable.length, `source has ${source.length} codes for a ${editable.length}-cell mask`);
  return Int32Array.from(source, (code, i) => (editable[i] ? -1 : code));
}
