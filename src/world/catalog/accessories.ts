import type { Box } from '../scene/scene.ts';

/**
 * Things an emoji can wear, and where they sit relative to its box. Hats sit on the top edge;
 * glasses across the upper middle, where emoji faces have their eyes.
 */
export const ACCESSORIES = {
  'billed-cap': { place: 'head', names: { en: 'baseball cap' } },
  'top-hat': { place: 'head', names: { en: 'top hat' } },
  crown: { place: 'head', names: { en: 'crown' } },
  'graduation-cap': { place: 'head', names: { en: 'graduation cap' } },
  glasses: { place: 'eyes', names: { en: 'glasses' } },
  sunglasses: { place: 'eyes', names: { en: 'sunglasses' } },
  ribbon: { place: 'ear', names: { en: 'bow' } },
} as const;

export type AccessoryId = keyof typeof ACCESSORIES;
export const ACCESSORY_IDS = Object.keys(ACCESSORIES) as AccessoryId[];

/** The wearer shrinks into the lower part of its box to leave room for a hat. */
export function wearerBox(box: Box, accessory: AccessoryId): Box {
  if (ACCESSORIES[accessory].place !== 'head') return box;
  return { x: box.x + box.w * 0.08, y: box.y + box.h * 0.22, w: box.w * 0.84, h: box.h * 0.78 };
}

export function accessoryBox(box: Box, accessory: AccessoryId): Box {
  switch (ACCESSORIES[accessory].place) {
    case 'head':
      return { x: box.x + box.w * 0.22, y: box.y, w: box.w * 0.56, h: box.h * 0.5 };
    case 'eyes':
      return { x: box.x + box.w * 0.12, y: box.y + box.h * 0.2, w: box.w * 0.76, h: box.h * 0.42 };
    case 'ear':
      return { x: box.x + box.w * 0.55, y: box.y, w: box.w * 0.42, h: box.h * 0.42 };
  }
}
