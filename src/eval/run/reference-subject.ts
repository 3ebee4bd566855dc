/**
 * The references: the world's own renders ('groundtruth'), or those renders through the image
 * tokenizer's round trip ('vq'), which is the best any model drawing through that VQ can do.
 * They answer questions with the world's answers, so understanding scores only check the scorer.
 */
import type { RgbaImage } from '../../engine/events.ts';
import type { ImageCodec } from '../../engine/image-codec.ts';
import { renderScene } from '../../world/render/renderer.ts';
import type { Scene } from '../../world/scene/scene.ts';
import { canvasPixels } from '../verifier/image.ts';
import type { Subject, SubjectImage } from './subject.ts';

export const REFERENCES = ['groundtruth', 'vq'] as const;
export type ReferenceName = (typeof REFERENCES)[number];

export async function renderRgba(scene: Scene): Promise<RgbaImage> {
  return canvasPixels(await renderScene(scene));
}

export function referenceSubject(name: ReferenceName, codec?: ImageCodec): Subject {
  if (name === 'vq' && !codec) throw new Error('the vq reference needs the VQ codec');
  const draw = async (scene: Scene): Promise<SubjectImage> => {
    const rgba = await renderRgba(scene);
    if (!codec) return { rgba };
    const codes = Uint16Array.from(await codec.encode(rgba));
    return { rgba: await codec.decode(codes), codes };
  };
  return {
    name,
    images: codec ? 'degraded' : 'clean',
    generate: (c) => draw(c.scene),
    edit: (c) => draw(c.target),
    ...(codec ? { encode: async (image: RgbaImage) => Uint16Array.from(await codec.encode(image)) } : {}),
    describe: async (c) => c.answer,
    converse: (c) => Promise.all(c.turns.map((t) => draw(t.scene))),
    close: async () => {},
  };
}
