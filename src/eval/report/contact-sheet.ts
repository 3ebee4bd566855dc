/**
 * A suite's contact sheet: each case's image with its verdict boxes (green right, red wrong), a
 * PASS/FAIL line, the prompt and what was read. Laid out by the world's contact sheet.
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { RgbaImage } from '../../engine/events.ts';
import { contactSheet } from '../../world/sheet/contact-sheet.ts';
import type { Mark } from '../score/scored.ts';
import type { CaseRun } from '../run/run-case.ts';

const TILE = 256;
/** More would make a sheet nobody scrolls through. */
export const MAX_SHEET_CASES = 48;

function rgbaCanvas(image: RgbaImage): Canvas {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(image.width, image.height);
  data.data.set(image.data);
  ctx.putImageData(data, 0, 0);
  return canvas;
}

/** The image at tile size with a box per verdict, and a drawn check or cross in its corner. */
export function markedTile(image: RgbaImage | undefined, marks: Mark[]): Canvas {
  const tile = createCanvas(TILE, TILE);
  const ctx = tile.getContext('2d');
  ctx.fillStyle = '#d4d4d8';
  ctx.fillRect(0, 0, TILE, TILE);
  if (image) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(rgbaCanvas(image), 0, 0, TILE, TILE);
  }
  ctx.lineWidth = 2;
  for (const { box, ok } of marks) {
    const [x, y, w, h] = [box.x * TILE, box.y * TILE, box.w * TILE, box.h * TILE];
    ctx.strokeStyle = ok ? '#16a34a' : '#dc2626';
    ctx.strokeRect(x, y, w, h);
    const s = Math.max(6, Math.min(14, w / 4));
    ctx.beginPath();
    if (ok) {
      ctx.moveTo(x + 2, y + s * 0.55);
      ctx.lineTo(x + s * 0.4, y + s * 0.9);
      ctx.lineTo(x + s, y + 2);
    } else {
      ctx.moveTo(x + 2, y + 2);
      ctx.lineTo(x + s, y + s);
      ctx.moveTo(x + s, y + 2);
      ctx.lineTo(x + 2, y + s);
    }
    ctx.stroke();
  }
  return tile;
}

export function suiteSheet(runs: readonly CaseRun[], columns = 6): Canvas {
  const cells = runs.slice(0, MAX_SHEET_CASES).map(({ result, image, marks }) => ({
    image: markedTile(image, marks),
    lines: [
      `${result.score === null ? 'n/a' : result.pass ? 'PASS' : 'FAIL'} ${result.category}${result.score === null ? '' : ` ${(result.score * 100).toFixed(0)}%`}${result.locale ? ` [${result.locale}]` : ''}`,
      result.prompt,
      ...(result.reply !== undefined ? [`reply: ${result.reply}`] : []),
      result.note,
    ],
  }));
  return contactSheet(cells, Math.min(columns, Math.max(1, cells.length)), TILE, 9);
}
