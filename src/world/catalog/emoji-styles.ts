import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root.ts';

/**
 * The emoji styles the world draws from, each an npm package whose assets are joined by codepoint:
 * lowercase hex, dash-separated, with the fe0f variation selector removed.
 */
export interface EmojiStyle {
  id: StyleId;
  /** Caption name, e.g. "Twemoji style". */
  displayName: string;
  packageName: string;
  license: string;
  attribution: string;
}

export const STYLES = {
  noto: {
    displayName: 'Noto',
    packageName: '@iconify-json/noto',
    license: 'Apache-2.0',
    attribution: 'Noto Emoji by Google, Apache License 2.0 (via @iconify-json/noto)',
  },
  twemoji: {
    displayName: 'Twemoji',
    packageName: '@twemoji/svg',
    license: 'CC-BY-4.0',
    attribution: 'Twemoji by Twitter, Inc and other contributors, CC-BY 4.0 (https://github.com/jdecked/twemoji)',
  },
  openmoji: {
    displayName: 'OpenMoji',
    packageName: 'openmoji',
    license: 'CC-BY-SA-4.0',
    attribution: 'OpenMoji, the open-source emoji and icon project, CC BY-SA 4.0 (https://openmoji.org)',
  },
  'fluent-flat': {
    displayName: 'Fluent flat',
    packageName: '@lobehub/fluent-emoji-flat',
    license: 'MIT',
    attribution: 'Fluent Emoji by Microsoft, MIT License (via @lobehub/fluent-emoji-flat)',
  },
  'fluent-3d': {
    displayName: 'Fluent 3D',
    packageName: '@lobehub/fluent-emoji-3d',
    license: 'MIT',
    attribution: 'Fluent Emoji by Microsoft, MIT License (via @lobehub/fluent-emoji-3d)',
  },
} as const satisfies Record<string, Omit<EmojiStyle, 'id'>>;

export type StyleId = keyof typeof STYLES;
export const STYLE_IDS = Object.keys(STYLES) as StyleId[];

export function styleInfo(id: StyleId): EmojiStyle {
  return { id, ...STYLES[id] };
}

/** Normalizes a codepoint sequence: "1F5FA-FE0F" → "1f5fa". */
export function normalizeCodepoints(hex: string): string {
  return hex
    .toLowerCase()
    .split(/[-_ ]/)
    .filter((part) => part && part !== 'fe0f')
    .join('-');
}

/** An emoji asset: SVG text or raster bytes (PNG/WebP). */
export type EmojiAsset = { kind: 'svg'; svg: string } | { kind: 'raster'; bytes: Buffer };

/** Where one style keeps its assets, indexed by normalized codepoints. */
export interface StyleAssets {
  style: StyleId;
  codepoints: Set<string>;
  load(codepoints: string): EmojiAsset;
}

export class MissingAssetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingAssetError';
  }
}

function requirePackage(style: StyleId): string {
  const name = STYLES[style].packageName;
  const root = packageRoot(name);
  if (!root) throw new MissingAssetError(`the ${STYLES[style].displayName} style needs the npm package "${name}", which is not installed (run npm ci)`);
  return root;
}

/** Indexes a folder of files named by codepoints, e.g. `1f5fa-fe0f.svg`. */
function fileIndex(dir: string, extension: string): Map<string, string> {
  const index = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(extension)) continue;
    const key = normalizeCodepoints(file.slice(0, -extension.length));
    // Prefer the shortest file name (the plain form over e.g. a text-presentation variant).
    const existing = index.get(key);
    if (!existing || file.length < existing.length) index.set(key, file);
  }
  return index;
}

function folderAssets(style: StyleId, dir: string, extension: string): StyleAssets {
  const index = fileIndex(dir, extension);
  return {
    style,
    codepoints: new Set(index.keys()),
    load(codepoints) {
      const file = index.get(codepoints);
      if (!file) throw new MissingAssetError(`${STYLES[style].displayName} has no emoji for codepoint ${codepoints}`);
      const path = join(dir, file);
      return extension === '.svg' ? { kind: 'svg', svg: readFileSync(path, 'utf8') } : { kind: 'raster', bytes: readFileSync(path) };
    },
  };
}

function notoAssets(): StyleAssets {
  const root = requirePackage('noto');
  const chars = JSON.parse(readFileSync(join(root, 'chars.json'), 'utf8')) as Record<string, string>;
  const set = JSON.parse(readFileSync(join(root, 'icons.json'), 'utf8')) as {
    icons: Record<string, { body: string; width?: number; height?: number }>;
    aliases?: Record<string, { parent: string }>;
    width?: number;
    height?: number;
  };
  const byCodepoint = new Map<string, string>();
  for (const [hex, name] of Object.entries(chars)) byCodepoint.set(normalizeCodepoints(hex), name);
  return {
    style: 'noto',
    codepoints: new Set(byCodepoint.keys()),
    load(codepoints) {
      let name = byCodepoint.get(codepoints);
      if (name && !set.icons[name] && set.aliases?.[name]) name = set.aliases[name].parent;
      const icon = name ? set.icons[name] : undefined;
      if (!icon) throw new MissingAssetError(`Noto has no emoji for codepoint ${codepoints}`);
      const w = icon.width ?? set.width ?? 128;
      const h = icon.height ?? set.height ?? 128;
      return { kind: 'svg', svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${icon.body}</svg>` };
    },
  };
}

const assetCache = new Map<StyleId, StyleAssets>();

/** The asset index of a style, built once per process. */
export function styleAssets(style: StyleId): StyleAssets {
  let assets = assetCache.get(style);
  if (!assets) {
    if (style === 'noto') assets = notoAssets();
    else {
      const root = requirePackage(style);
      if (style === 'twemoji') assets = folderAssets(style, root, '.svg');
      else if (style === 'openmoji') assets = folderAssets(style, join(root, 'color', 'svg'), '.svg');
      else if (style === 'fluent-flat') assets = folderAssets(style, join(root, 'assets'), '.svg');
      else assets = folderAssets(style, join(root, 'assets'), '.webp');
    }
    assetCache.set(style, assets);
  }
  return assets;
}
