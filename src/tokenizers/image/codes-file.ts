/**
 * The codes of one image as a JSON file (`tessera tokenize` writes it, `tessera detokenize` reads it):
 *   { "format": "tessera-image-codes", "version": 1, "grid": 16, "codebook_size": 1024, "codes": [256 ints] }
 * A bare JSON array of grid*grid integers is accepted on reading too.
 */
import { z } from 'zod';
import { ImageTokenizerError } from './errors.ts';

const codesFileSchema = z.strictObject({
  format: z.literal('tessera-image-codes'),
  version: z.literal(1),
  grid: z.number().int().positive(),
  codebook_size: z.number().int().positive(),
  codes: z.array(z.number().int().nonnegative()),
  source: z.string().optional(),
});

export type CodesFile = z.infer<typeof codesFileSchema>;

export function serializeCodes(codes: ArrayLike<number>, grid: number, codebookSize: number, source?: string): string {
  const file: CodesFile = { format: 'tessera-image-codes', version: 1, grid, codebook_size: codebookSize, codes: Array.from(codes), ...(source ? { source } : {}) };
  return `${JSON.stringify(file)}\n`;
}

/** Parses a codes file; checks the length against the grid. Code ranges are the tokenizer's to check. */
export function parseCodes(text: string, what = 'codes file'): CodesFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageTokenizerError(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(json)) {
    const grid = Math.round(Math.sqrt(json.length));
    json = { format: 'tessera-image-codes', version: 1, grid, codebook_size: Math.max(1, ...json.map((c) => Number(c) + 1)), codes: json };
  }
  const parsed = codesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ImageTokenizerError(`${what} is not an image codes file: ${issues}`);
  }
  const file = parsed.data;
  if (file.codes.length !== file.grid * file.grid) {
    throw new ImageTokenizerError(`${what}: ${file.codes.length} codes do not fill a ${file.grid}x${file.grid} grid`);
  }
  return file;
}
