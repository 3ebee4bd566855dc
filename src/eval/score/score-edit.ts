/**
 * Edit scoring. Edited: every object the edit changed reads as the target's (a removed one's box
 * reads empty; for a background edit, the background is the new color). Kept: every other object
 * still reads right. Untouched: outside the changed boxes, the fraction of the 16×16 token grid equal
 * to the source's codes, and the pixel PSNR against the source render.
 */
import { BACKGROUND_NAMES, BACKGROUNDS, type BackgroundName } from '../../world/catalog/colors.ts';
import type { Box, Scene, SceneObject } from '../../world/scene/scene.ts';
import type { EditCase } from '../suites/eval-case.ts';
import { estimateBackground, type Rgba } from '../verifier/image.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { mean, type Mark, type Scored } from './scored.ts';

/** PSNR when nothing differs; keeps report.json finite. */
export const PSNR_CAP = 99;

const key = (o: SceneObject) => JSON.stringify(o);
const sameBox = (a: Box, b: Box) => Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6;

/** What an edit changes: objects new in the target, source objects gone from where nothing replaces them, the rest. */
export function editDiff(source: Scene, target: Scene): { changed: SceneObject[]; removed: SceneObject[]; kept: SceneObject[] } {
  const before = new Set(source.objects.map(key));
  const after = new Set(target.objects.map(key));
  const changed = target.objects.filter((o) => !before.has(key(o)));
  const removed = source.objects.filter((o) => !after.has(key(o)) && !target.objects.some((t) => sameBox(t.box, o.box)));
  const kept = target.objects.filter((o) => before.has(key(o)));
  return { changed, removed, kept };
}

/** The boxes an edit changes: its changed objects' and its removed objects'. */
export function editRegion(source: Scene, target: Scene): Box[] {
  const { changed, removed } = editDiff(source, target);
  return [...changed, ...removed].map((o) => o.box);
}

/** The background name nearest the image's background color. */
export function backgroundName(pixels: Rgba): BackgroundName {
  const { color } = estimateBackground(pixels);
  const distance = (name: BackgroundName) => BACKGROUNDS[name].reduce((s, v, i) => s + (v - color[i]) ** 2, 0);
  return BACKGROUND_NAMES.reduce((best, name) => (distance(name) < distance(best) ? name : best));
}

export interface EditImages {
  output: Rgba;
  /** The output's codes, when the subject made codes. */
  codes?: ArrayLike<number>;
  /** The source as rendered by the world (clean), and as the subject's tokenizer codes it. */
  source: Rgba;
  sourceCodes?: ArrayLike<number>;
}

export function scoreEdit(verifier: Verifier, images: EditImages, c: EditCase): Scored {
  const { output } = images;
  const { changed, removed, kept } = editDiff(c.source, c.target);
  const marks: Mark[] = [];
  const checks: boolean[] = [];
  for (const o of changed) {
    const ok = verifier.checkObject(output, o.box, o, c.target.style).correct;
    marks.push({ box: o.box, ok });
    checks.push(ok);
  }
  for (const o of removed) {
    const ok = verifier.classifyCell(output, o.box).kind === 'empty';
    marks.push({ box: o.box, ok });
    checks.push(ok);
  }
  let background: string | undefined;
  if (c.kind === 'background') {
    background = backgroundName(output);
    checks.push(background === c.target.background);
  }
  const keptRight = kept.map((o) => verifier.checkObject(output, o.box, o, c.target.style).correct);
  kept.forEach((o, i) => marks.push({ box: o.box, ok: keptRight[i] }));
  // A background edit repaints every pixel: nothing is untouched.
  const region = c.kind === 'background' ? [] : [...changed, ...removed].map((o) => o.box); // editRegion, from the diff in hand
  const edited = checks.length > 0 && checks.every(Boolean);
  const tokens = c.kind === 'background' || !images.codes || !images.sourceCodes ? null : tokenIdentity(images.codes, images.sourceCodes, region);
  const psnr = c.kind === 'background' ? null : psnrOutside(output, images.source, region);
  return {
    score: Number(edited),
    pass: edited && keptRight.every(Boolean),
    metrics: { edited: Number(edited), kept: keptRight.length ? mean(keptRight.map(Number)) : null, tokens, psnr },
    marks,
    note: `${c.kind}: ${edited ? 'done' : 'not done'}${background ? ` (background reads ${background})` : ''}; kept ${keptRight.filter(Boolean).length}/${keptRight.length}${tokens === null ? '' : `; tokens ${(tokens * 100).toFixed(0)}%`}${psnr === null ? '' : `; ${psnr.toFixed(1)} dB`}`,
  };
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The share of grid cells that touch no edited box whose code is the source's. */
export function tokenIdentity(codes: ArrayLike<number>, sourceCodes: ArrayLike<number>, edited: Box[]): number | null {
  const grid = Math.round(Math.sqrt(codes.length));
  let same = 0;
  let total = 0;
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      const cell = { x: c / grid, y: r / grid, w: 1 / grid, h: 1 / grid };
      if (edited.some((b) => overlaps(cell, b))) continue;
      total++;
      if (codes[r * grid + c] === sourceCodes[r * grid + c]) same++;
    }
  }
  return total ? same / total : null;
}

/** PSNR (RGB) over the pixels outside the edited boxes (grown by a pixel for antialiasing). */
export function psnrOutside(a: Rgba, b: Rgba, edited: Box[]): number | null {
  if (a.width !== b.width || a.height !== b.height) return null;
  const { width: w, height: h } = a;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (edited.some((box) => x >= box.x * w - 1 && x < (box.x + box.w) * w + 1 && y >= box.y * h - 1 && y < (box.y + box.h) * h + 1)) continue;
      const i = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) sum += (a.data[i + k] - b.data[i + k]) ** 2;
      n += 3;
    }
  }
  if (n === 0) return null;
  return sum === 0 ? PSNR_CAP : Math.min(PSNR_CAP, 10 * Math.log10((255 * 255 * n) / sum));
}
