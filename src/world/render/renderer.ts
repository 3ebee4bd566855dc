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
import { SpriteCache } from './sprite-cache.ts';

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

const sprites = new SpriteCache();

/** Renders a scene to an RGB canvas of scene.size². Throws WorldError on an invalid scene. */
export async function renderScene(scene: Scene): Promise<Canvas> {
  validateScene(scene);
  registerFonts();
  const canvas = createCanvas(scene.size, scene.size);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = rgb(BACKGROUNDS[scene.background]);
  ctx.fillRect(0, 0, scene.size, scene.size);
  for (const object of scene.objects) await drawObject(ctx, object, scene);
  return canvas;
}

async function drawObject(ctx: SKRSContext2D, object: SceneObject, scene: Scene): Promise<void> {
  if (object.kind === 'emoji') return drawEmoji(ctx, object, scene);
  const box = toPixels(object.box, scene.size);
  const { box: _box, cell: _cell, ...look } = object;
  const sprite = await sprites.get(`${JSON.stringify(look)}@${box.w}x${box.h}`, () =>
    paintMasked(object, box.w, box.h, (m, w, h) => (object.kind === 'shape' ? traceShape(m, object, w, h) : writeText(m, object, w, h))),
  );
  ctx.drawImage(sprite, box.x, box.y);
}

/**
 * Shapes and text: draw the silhouette, then paint the fill through it ('source-in'), so every
 * pattern works on every silhouette.
 */
function paintMasked(object: ShapeObject | TextObject, w: number, h: number, silhouette: (m: SKRSContext2D, w: number, h: number) => void): Canvas {
  const sprite = createCanvas(w, h);
  const m = sprite.getContext('2d');
  m.fillStyle = '#fff';
  silhouette(m, w, h);
  m.globalCompositeOperation = 'source-in';
  const pattern = object.pattern ?? 'solid';
  if (pattern === 'solid') {
    m.fillStyle = rgb(COLORS[object.color ?? 'black']);
    m.fillRect(0, 0, w, h);
  } else {
    m.drawImage(patternCanvas(w, h, pattern, object.color, object.color2), 0, 0);
  }
  return sprite;
}

function traceShape(m: SKRSContext2D, object: ShapeObject, w: number, h: number): void {
  m.save();
  m.scale(w, h);
  m.beginPath();
  SHAPES[object.shape](m);
  m.fill('evenodd');
  m.restore();
}

/** Fits the text to its box: as large as fits 92% of the width and 75% of the height. */
function writeText(m: SKRSContext2D, object: TextObject, w: number, h: number): void {
  const family = fontFamily(object.face, object.script);
  let size = h * 0.75;
  m.font = `bold ${size}px "${family}"`;
  const width = m.measureText(object.text).width;
  if (width > w * 0.92) size *= (w * 0.92) / width;
  m.font = `bold ${Math.max(4, size)}px "${family}"`;
  m.textAlign = 'center';
  m.textBaseline = 'middle';
  m.direction = object.script === 'arabic' ? 'rtl' : 'ltr';
  m.fillText(object.text, w / 2, h / 2);
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
  // Emoji are square; keep the aspect ratio inside a non-square box.
  const side = Math.min(box.w, box.h);
  const key = `emoji:${style}/${codepoints}/${paint.color ?? ''}/${paint.color2 ?? ''}/${paint.pattern ?? ''}@${side}`;
  const sprite = await sprites.get(key, async () => paintEmoji(await emojiRaster(style, codepoints), side, paint));
  ctx.drawImage(sprite, box.x + Math.round((box.w - side) / 2), box.y + Math.round((box.h - side) / 2));
}

function paintEmoji(raster: Canvas, side: number, paint: Pick<EmojiObject, 'color' | 'color2' | 'pattern'>): Canvas {
  const sprite = createCanvas(side, side);
  const s = sprite.getContext('2d');
  s.imageSmoothingEnabled = true;
  s.imageSmoothingQuality = 'high';
  s.drawImage(raster, 0, 0, side, side);
  if (!paint.color && !paint.pattern) return sprite;
  const pixels = s.getImageData(0, 0, side, side);
  if (paint.pattern && paint.pattern !== 'solid') {
    const fill = patternCanvas(side, side, paint.pattern, paint.color, paint.color2).getContext('2d').getImageData(0, 0, side, side);
    patternPixels(pixels.data, fill.data);
  } else if (paint.color) {
    recolorPixels(pixels.data, paint.color, paint.color2);
  }
  s.putImageData(pixels, 0, 0);
  return sprite;
}

/** PNG bytes of a rendered scene: what shards store. */
export async function renderPng(scene: Scene): Promise<Buffer> {
  const canvas = await renderScene(scene);
  return canvas.encodeSync('png');
}
