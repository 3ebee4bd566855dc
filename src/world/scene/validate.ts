import { BACKGROUND_NAMES, COLOR_NAMES } from '../catalog/colors.ts';
import { ACCESSORY_IDS } from '../catalog/accessories.ts';
import { conceptById } from '../catalog/concepts.ts';
import { STYLE_IDS } from '../catalog/emoji-styles.ts';
import { FACES_FOR_SCRIPT, FONT_FACES, SCRIPTS } from '../catalog/fonts.ts';
import { PATTERN_NAMES } from '../catalog/patterns.ts';
import { SHAPE_NAMES } from '../catalog/shapes.ts';
import { requireName, WorldError } from '../world-error.ts';
import type { Scene } from './scene.ts';

/** Checks every name in a scene (often hand-written JSON) before anything is drawn. */
export function validateScene(scene: Scene): void {
  if (!scene || typeof scene !== 'object') throw new WorldError('a scene must be a JSON object');
  if (!Number.isInteger(scene.size) || scene.size < 8 || scene.size > 2048) throw new WorldError(`scene size must be an integer from 8 to 2048, got ${scene.size}`);
  requireName('background', scene.background, BACKGROUND_NAMES);
  requireName('style', scene.style, STYLE_IDS);
  if (!Array.isArray(scene.objects)) throw new WorldError('scene.objects must be a list');
  const concepts = conceptById();
  scene.objects.forEach((object, i) => {
    const where = `object ${i + 1}`;
    const box = object.box;
    if (!box || ![box.x, box.y, box.w, box.h].every((v) => typeof v === 'number' && Number.isFinite(v)) || box.w <= 0 || box.h <= 0) {
      throw new WorldError(`${where}: box must have numeric x, y, w, h (fractions of the image), with w and h > 0`);
    }
    if (object.color !== undefined) requireName(`color in ${where}`, object.color, COLOR_NAMES);
    if (object.color2 !== undefined) requireName(`second color in ${where}`, object.color2, COLOR_NAMES);
    if (object.pattern !== undefined) requireName(`pattern in ${where}`, object.pattern, PATTERN_NAMES);
    switch (object.kind) {
      case 'emoji': {
        requireName(`concept in ${where}`, object.concept, concepts.keys());
        if (object.style !== undefined) requireName(`style in ${where}`, object.style, STYLE_IDS);
        const style = object.style ?? scene.style;
        if (!concepts.get(object.concept)!.styles.includes(style)) throw new WorldError(`${where}: the ${style} style has no "${object.concept}" emoji`);
        if (object.accessory) {
          requireName(`accessory in ${where}`, object.accessory.concept, ACCESSORY_IDS);
          if (object.accessory.color !== undefined) requireName(`accessory color in ${where}`, object.accessory.color, COLOR_NAMES);
        }
        break;
      }
      case 'shape':
        requireName(`shape in ${where}`, object.shape, SHAPE_NAMES);
        break;
      case 'text':
        if (typeof object.text !== 'string' || object.text.length === 0) throw new WorldError(`${where}: text must be a non-empty string`);
        requireName(`font face in ${where}`, object.face, FONT_FACES);
        requireName(`script in ${where}`, object.script, SCRIPTS);
        if (!FACES_FOR_SCRIPT[object.script].includes(object.face)) {
          throw new WorldError(`${where}: no ${object.face} font for ${object.script} text; use ${FACES_FOR_SCRIPT[object.script].join(' or ')}`);
        }
        break;
      default:
        throw new WorldError(`${where}: kind must be "emoji", "shape" or "text", got "${(object as { kind: unknown }).kind}"`);
    }
  });
}
