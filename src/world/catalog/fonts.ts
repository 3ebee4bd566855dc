import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { packageRoot } from './package-root.ts';
import { MissingAssetError } from './emoji-styles.ts';

/** Font faces the world names in captions ("written in cursive"). */
export const FONT_FACES = ['sans', 'serif', 'monospace', 'cursive'] as const;
export type FontFace = (typeof FONT_FACES)[number];

export const SCRIPTS = ['latin', 'cyrillic', 'greek', 'cjk', 'arabic', 'devanagari'] as const;
export type Script = (typeof SCRIPTS)[number];

interface FontFamily {
  /** Family name registered with the canvas. */
  family: string;
  packageName: string;
  /** File-name prefix inside the package's files/ folder. */
  filePrefix: string;
  license: string;
}

/** Open fonts shipped as npm packages (Fontsource), so that `npm ci` is all a machine needs. */
const FAMILIES: Record<string, FontFamily> = {
  'Tessera Sans': { family: 'Tessera Sans', packageName: '@fontsource/noto-sans', filePrefix: 'noto-sans-', license: 'OFL-1.1' },
  'Tessera Serif': { family: 'Tessera Serif', packageName: '@fontsource/noto-serif', filePrefix: 'noto-serif-', license: 'OFL-1.1' },
  'Tessera Mono': { family: 'Tessera Mono', packageName: '@fontsource/noto-sans-mono', filePrefix: 'noto-sans-mono-', license: 'OFL-1.1' },
  'Tessera Cursive': { family: 'Tessera Cursive', packageName: '@fontsource/dancing-script', filePrefix: 'dancing-script-', license: 'OFL-1.1' },
  'Tessera CJK': { family: 'Tessera CJK', packageName: '@fontsource/noto-sans-sc', filePrefix: 'noto-sans-sc-', license: 'OFL-1.1' },
  'Tessera Arabic': { family: 'Tessera Arabic', packageName: '@fontsource/noto-sans-arabic', filePrefix: 'noto-sans-arabic-', license: 'OFL-1.1' },
  'Tessera Devanagari': { family: 'Tessera Devanagari', packageName: '@fontsource/noto-sans-devanagari', filePrefix: 'noto-sans-devanagari-', license: 'OFL-1.1' },
};

const FACE_FAMILY: Record<FontFace, string> = {
  sans: 'Tessera Sans',
  serif: 'Tessera Serif',
  monospace: 'Tessera Mono',
  cursive: 'Tessera Cursive',
};

const SCRIPT_FAMILY: Partial<Record<Script, string>> = {
  cjk: 'Tessera CJK',
  arabic: 'Tessera Arabic',
  devanagari: 'Tessera Devanagari',
};

/** Which faces can draw a script. The cursive face and the non-European scripts have one design each. */
export const FACES_FOR_SCRIPT: Record<Script, readonly FontFace[]> = {
  latin: FONT_FACES,
  cyrillic: ['sans', 'serif', 'monospace'],
  greek: ['sans', 'serif', 'monospace'],
  cjk: ['sans'],
  arabic: ['sans'],
  devanagari: ['sans'],
};

let registered = false;

/** Registers every font file once per process (bold weight: it survives 8× downsampling better). */
export function registerFonts(): void {
  if (registered) return;
  for (const family of Object.values(FAMILIES)) {
    // The font collection is one per process, shared by worker threads: a worker that registered the
    // same files again while another drew text raced on it (the shard-determinism flake).
    if (GlobalFonts.has(family.family)) continue;
    const root = packageRoot(family.packageName);
    if (!root) throw new MissingAssetError(`font package "${family.packageName}" is not installed (run npm ci)`);
    const files = readdirSync(join(root, 'files')).filter((f) => f.startsWith(family.filePrefix) && f.endsWith('-700-normal.woff2'));
    if (files.length === 0) throw new MissingAssetError(`font package "${family.packageName}" has no bold woff2 files`);
    for (const file of files) {
      if (!GlobalFonts.registerFromPath(join(root, 'files', file), family.family)) throw new MissingAssetError(`font file ${file} of "${family.packageName}" could not be loaded`);
    }
  }
  registered = true;
}

/** The canvas font family for a face and script. */
export function fontFamily(face: FontFace, script: Script): string {
  if (!FACES_FOR_SCRIPT[script].includes(face)) throw new Error(`no ${face} font for ${script} script; choose one of ${FACES_FOR_SCRIPT[script].join(', ')}`);
  return SCRIPT_FAMILY[script] ?? FACE_FAMILY[face];
}

export function fontLicenses(): { family: string; packageName: string; license: string }[] {
  return Object.values(FAMILIES).map(({ family, packageName, license }) => ({ family, packageName, license }));
}
