import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { BACKGROUNDS, COLORS, rgb } from '../catalog/colors.ts';
import { accessoryBox, wearerBox, type AccessoryId } from '../catalog/accessories.ts';
import { conceptById } from '../catalog/concepts.ts';
import { fontFamily, registerFonts } from '../catalog/fonts.ts';
import { SHAPES } from '../catalog/shapes.ts';
import type { Box, EmojiObject, Scene, SceneObject, ShapeObject, TextObject } from '../scene/scene.ts';
import { emojiRaster } from './emoji-raster.ts';
import { patternCanvas } from './pattern-fill.ts';
import { patternPixels, recolorPixels } from './recolor.ts';
import { validateScene } from '../scene/validate.ts';

interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

function toPixels(box: Box, size: number): PixelBox {
  const x = Math.round(box.x * size);
  const y = Math.round(box.y * size);
  return { x, y, w: Math.max(1, Math.round((box.x + box.w) * size) - x), h: Math.max(1, Math.round((box.y + box.h) * size) - y) };
}

/** Renders a scene to an RGB canvas of scene.size². Throws WorldError on an invalid scene. */
export async function renderScene(scene: Scene): Promise<Canvas> {
  validateScene(scene);
  registerFonts();
  const canvas = createCanvas(scene.size, scene.size);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.fillStyle = rgb(BACKGROUNDS[scene.background]);
  ctx.fillRect(0, 0, scene.size, scene.size);
  for (const object of scene.objects) await drawObject(ctx, object, scene);
  return canvas;
}

async function drawObject(ctx: SKRSContext2D, object: SceneObject, scene: Scene): Promise<void> {
  if (object.kind === 'emoji') return drawEmoji(ctx, object, scene);
  if (object.kind === 'shape') return drawMasked(ctx, object, toPixels(object.box, scene.size), (m, box) => traceShape(m, object, box));
  return drawMasked(ctx, object, toPixels(object.box, scene.size), (m, box) => writeText(m, object, box));
}

/**
 * Shapes and text: draw the silhouette on a scratch canvas, then paint the fill through it
 * ('source-in'), so every pattern works on every silhouette.
 */
function drawMasked(ctx: SKRSContext2D, object: ShapeObject | TextObject, box: PixelBox, silhouette: (m: SKRSContext2D, box: PixelBox) => void): void {
  const scratch = createCanvas(box.w, box.h);
  const m = scratch.getContext('2d');
  m.fillStyle = '#fff';
  silhouette(m, { x: 0, y: 0, w: box.w, h: box.h });
  m.globalCompositeOperation = 'source-in';
  const pattern = object.pattern ?? 'solid';
  if (pattern === 'solid') {
    m.fillStyle = rgb(COLORS[object.color ?? 'black']);
    m.fillRect(0, 0, box.w, box.h);
  } else {
    m.drawImage(patternCanvas(box.w, box.h, pattern, object.color, object.color2), 0, 0);
  }
  ctx.drawImage(scratch, box.x, box.y);
}

function traceShape(m: SKRSContext2D, object: ShapeObject, box: PixelBox): void {
  m.save();
  m.translate(box.x, box.y);
  m.scale(box.w, box.h);
  m.beginPath();
  SHAPES[object.shape](m);
  m.fill('evenodd');
  m.restore();
}

/** Fits the text to its box: as large as fits 92% of the width and 75% of the height. */
function writeText(m: SKRSContext2D, object: TextObject, box: PixelBox): void {
  const family = fontFamily(object.face, object.script);
  let size = box.h * 0.75;
  m.font = `bold ${size}px "${family}"`;
  const width = m.measureText(object.text).width;
  if (width > box.w * 0.92) size *= (box.w * 0.92) / width;
  m.font = `bold ${Math.max(4, size)}px "${family}"`;
  m.textAlign = 'center';
  m.textBaseline = 'middle';
  m.direction = object.script === 'arabic' ? 'rtl' : 'ltr';
  m.fillText(object.text, box.x + box.w / 2, box.y + box.h / 2);
}

async function drawEmoji(ctx: SKRSContext2D, object: EmojiObject, scene: Scene): Promise<void> {
  const style = object.style ?? scene.style;
  const concepts = conceptById();
  const body = object.accessory ? wearerBox(object.box, object.accessory.concept as AccessoryId) : object.box;
  await drawEmojiImage(ctx, style, concepts.get(object.concept)!.codepoints, toPixels(body, scene.size), object);
  if (object.accessory) {
    const wear = accessoryBox(body, object.accessory.concept as AccessoryId);
    const accessory = concepts.get(object.accessory.concept)!;
    await drawEmojiImage(ctx, style, accessory.codepoints, toPixels(wear, scene.size), { color: object.accessory.color });
  }
}

async function drawEmojiImage(
  ctx: SKRSContext2D,
  style: Scene['style'],
  codepoints: string,
  box: PixelBox,
  paint: Pick<EmojiObject, 'color' | 'color2' | 'pattern'>,
): Promise<void> {
  const raster = await emojiRaster(style, codepoints);
  // Emoji are square; keep the aspect ratio inside a non-square box.
  const side = Math.min(box.w, box.h);
  const x = box.x + Math.round((box.w - side) / 2);
  const y = box.y + Math.round((box.h - side) / 2);
  if (!paint.color && !paint.pattern) {
    ctx.drawImage(raster, x, y, side, side);
    return;
  }
  const scratch = createCanvas(side, side);
  const s = scratch.getContext('2d');
  s.imageSmoothingQuality = 'high';
  s.drawImage(raster, 0, 0, side, side);
  const pixels = s.getImageData(0, 0, side, side);
  if (paint.pattern && paint.pattern !== 'solid') {
    const fill = patternCanvas(side, side, paint.pattern, paint.color, paint.color2).getContext('2d').getImageData(0, 0, side, side);
    patternPixels(pixels.data, fill.data);
  } else if (paint.color) {
    recolorPixels(pixels.data, paint.color, paint.color2);
  }
  s.putImageData(pixels, 0, 0);
  ctx.drawImage(scratch, x, y);
}

/** PNG bytes of a rendered scene, RGB (no alpha): what shards store. */
export async function renderPng(scene: Scene): Promise<Buffer> {
  const canvas = await renderScene(scene);
  return canvas.encode('png');
}
