/**
 * Image files on the CLI's side: inputs read safely at the model's size (the server's reader, so a
 * file and an upload behave the same), outputs written in the format their extension names.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RgbaImage } from '../engine/index.ts';
import { encodeImage } from '../server/encode.ts';
import { readImageInput } from '../server/image-input.ts';
import { DEFAULT_LIMITS } from '../server/options.ts';
import { UserError } from './command.ts';
import { outputFormat } from './engine-flags.ts';
import { asUserError } from './load-model.ts';

export async function writeImageFile(image: RgbaImage, path: string): Promise<void> {
  const bytes = await encodeImage(image, { format: outputFormat(path) });
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/** A file's bytes, or a UserError naming it (read before the model loads, so a typo fails fast). */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`);
  }
}

/** Image (or mask) file bytes -> RGBA at the model's size, or a UserError naming the file. */
export async function decodeImageFile(bytes: Uint8Array, path: string, kind: 'image' | 'mask', size: number): Promise<RgbaImage> {
  try {
    return await readImageInput(bytes, { kind, size, maxPixels: DEFAULT_LIMITS.maxImagePixels, name: path });
  } catch (error) {
    throw asUserError(error);
  }
}
