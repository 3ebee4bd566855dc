import { createCanvas, loadImage, type Canvas } from '@napi-rs/canvas';
import { styleAssets, type StyleId } from '../catalog/emoji-styles.ts';

/** Emoji are rasterized once per process at this size and scaled down when drawn. */
export const RASTER_SIZE = 128;

const rasters = new Map<string, Promise<Canvas>>();

/** Rewrites an SVG's root width/height so that it rasterizes sharp at `size` px. */
function sizedSvg(svg: string, size: number): Buffer {
  const withSize = svg.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    let cleaned = attrs.replace(/\s(width|height)="[^"]*"/g, '');
    if (!/viewBox=/.test(cleaned)) {
      const w = /width="([\d.]+)/.exec(attrs)?.[1] ?? '36';
      const h = /height="([\d.]+)/.exec(attrs)?.[1] ?? '36';
      cleaned += ` viewBox="0 0 ${w} ${h}"`;
    }
    return `<svg${cleaned} width="${size}" height="${size}">`;
  });
  return Buffer.from(withSize);
}

/** The emoji drawn on a transparent RASTER_SIZE² canvas, cached. */
export function emojiRaster(style: StyleId, codepoints: string): Promise<Canvas> {
  const key = `${style}/${codepoints}`;
  let raster = rasters.get(key);
  if (!raster) {
    raster = (async () => {
      const asset = styleAssets(style).load(codepoints);
      const image = await loadImage(asset.kind === 'svg' ? sizedSvg(asset.svg, RASTER_SIZE) : asset.bytes);
      const canvas = createCanvas(RASTER_SIZE, RASTER_SIZE);
      canvas.getContext('2d').drawImage(image, 0, 0, RASTER_SIZE, RASTER_SIZE);
      return canvas;
    })();
    rasters.set(key, raster);
    raster.catch(() => rasters.delete(key));
  }
  return raster;
}
