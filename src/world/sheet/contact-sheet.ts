import { createCanvas, type Canvas, type Image } from '@napi-rs/canvas';
import { registerFonts } from '../catalog/fonts.ts';

export interface SheetCell {
  image: Canvas | Image;
  /** Lines under the image; long ones wrap. */
  lines: string[];
}

const FONT = '"Tessera Sans", "Tessera CJK", "Tessera Arabic", "Tessera Devanagari"';

/** Lays images out in a grid with wrapped captions under each: for people to look at. */
export function contactSheet(cells: SheetCell[], columns = 4, tile = 256, captionLines = 7): Canvas {
  registerFonts();
  const lineHeight = 13;
  const cellHeight = tile + captionLines * lineHeight + 12;
  const rows = Math.ceil(cells.length / columns);
  const canvas = createCanvas(columns * (tile + 16) + 16, rows * cellHeight + 16);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f4f5';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  cells.forEach((cell, i) => {
    const x = 16 + (i % columns) * (tile + 16);
    const y = 16 + Math.floor(i / columns) * cellHeight;
    ctx.drawImage(cell.image, x, y, tile, tile);
    ctx.fillStyle = '#18181b';
    ctx.font = `11px ${FONT}`;
    const wrapped = cell.lines.flatMap((line) => wrap(ctx, line, tile));
    wrapped.slice(0, captionLines).forEach((line, k) => ctx.fillText(line, x, y + tile + 14 + k * lineHeight));
  });
  return canvas;
}

function wrap(ctx: ReturnType<Canvas['getContext']>, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  // Split on spaces, and between CJK characters, which have none.
  for (const word of text.split(/(?<= )|(?<=[\u3000-\u9fff])/)) {
    if (ctx.measureText(line + word).width > width && line) {
      lines.push(line.trimEnd());
      line = word.trimStart();
    } else line += word;
  }
  if (line) lines.push(line);
  return lines;
}
