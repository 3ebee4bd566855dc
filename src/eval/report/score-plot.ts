/** scores.png: a horizontal bar per category (0-100%), colored by suite. Drawn with canvas, no plotting library. */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { registerFonts } from '../../world/catalog/fonts.ts';
import type { BenchReport } from '../run/run-suite.ts';

const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#4b5563', '#65a30d'];

export function scorePlot(report: BenchReport): Canvas {
  registerFonts();
  const rows = report.suites.flatMap((s, k) => s.categories.filter((c) => c.score !== null).map((c) => ({ label: c.category, score: c.score!, color: PALETTE[k % PALETTE.length] })));
  const [left, right, top, rowHeight] = [230, 70, 48, 22];
  const barWidth = 520;
  const canvas = createCanvas(left + barWidth + right, top + rows.length * rowHeight + 36);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#18181b';
  ctx.font = 'bold 15px "Tessera Sans"';
  ctx.fillText(`World-bench scores: ${report.subject}`, 12, 24);
  ctx.font = '11px "Tessera Sans"';
  // Gridlines at every 25%.
  for (let g = 0; g <= 4; g++) {
    const x = left + (barWidth * g) / 4;
    ctx.strokeStyle = '#e4e4e7';
    ctx.beginPath();
    ctx.moveTo(x, top - 6);
    ctx.lineTo(x, top + rows.length * rowHeight);
    ctx.stroke();
    ctx.fillStyle = '#71717a';
    ctx.fillText(`${g * 25}%`, x - 10, top + rows.length * rowHeight + 16);
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    ctx.fillStyle = '#18181b';
    ctx.textAlign = 'right';
    ctx.fillText(row.label, left - 8, y + 15);
    ctx.textAlign = 'left';
    ctx.fillStyle = row.color;
    ctx.fillRect(left, y + 4, Math.max(1, barWidth * row.score), rowHeight - 8);
    ctx.fillStyle = '#18181b';
    ctx.fillText(`${(row.score * 100).toFixed(1)}%`, left + barWidth * row.score + 6, y + 15);
  });
  return canvas;
}
