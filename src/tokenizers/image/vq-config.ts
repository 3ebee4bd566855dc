/**
 * `models/vq/config.json`, written by the Python exporter (trainer/tessera_trainer/vq/export.py):
 * sizes, the ONNX files' tensor names and value ranges, and the blank code for partial previews.
 * Unknown keys are rejected, so a renamed field fails loudly instead of being ignored.
 */
import { z } from 'zod';
import { ImageTokenizerError } from './errors.ts';

const encoderSchema = z.strictObject({
  file: z.string(),
  input: z.string(),
  input_shape: z.tuple([z.literal('batch'), z.literal(3), z.number().int(), z.number().int()]),
  input_range: z.tuple([z.literal(0), z.literal(1)]),
  layout: z.string(),
  output: z.string(),
  output_dtype: z.literal('int32'),
});

const decoderSchema = z.strictObject({
  file: z.string(),
  input: z.string(),
  input_dtype: z.literal('int32'),
  input_shape: z.tuple([z.literal('batch'), z.number().int(), z.number().int()]),
  output: z.string(),
  output_range: z.tuple([z.literal(0), z.literal(1)]),
  layout: z.string(),
});

export const vqConfigSchema = z.strictObject({
  format: z.literal('tessera-vq'),
  version: z.literal(1),
  /** Pixels per side of the square images the model reads and writes (128). */
  image_size: z.number().int().positive(),
  /** Codes per side (16): an image is grid x grid codes, row-major. */
  grid: z.number().int().positive(),
  /** K: codes are integers in [0, K). */
  codebook_size: z.number().int().positive(),
  /** The code of a plain white patch: fills the unknown rows of a partial grid. */
  blank_code: z.number().int().nonnegative(),
  encoder: encoderSchema,
  decoder: decoderSchema,
  onnx_opset: z.number().int(),
  /** The PyTorch model's hyperparameters, for the record. */
  model: z.record(z.string(), z.unknown()),
  /** Steps that trained the encoder and codebook, i.e. the codes. */
  trained_steps: z.number().int().optional(),
  /** Steps of the last decoder-only run (`train --freeze-codes`) under those codes, if any. */
  decoder_steps: z.number().int().optional(),
  /**
   * Near-duplicate codes answered by one representative (trainer/tessera_trainer/vq/canonical.py):
   * the encoder graph emits only the `classes` representatives. Decoding takes any code.
   */
  canonical: z.strictObject({ tau: z.number().gt(0).lte(1).optional(), classes: z.number().int().positive() }).optional(),
  fixture: z.string().optional(),
});

export type VqConfig = z.infer<typeof vqConfigSchema>;

export function parseVqConfig(json: unknown, source = 'config.json'): VqConfig {
  const parsed = vqConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ImageTokenizerError(`${source} is not a VQ config: ${issues}`);
  }
  const config = parsed.data;
  if (config.blank_code >= config.codebook_size) throw new ImageTokenizerError(`${source}: blank_code ${config.blank_code} >= codebook_size`);
  return config;
}
