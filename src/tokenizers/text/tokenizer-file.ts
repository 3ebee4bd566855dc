/**
 * tokenizer.json: the saved text tokenizer. Ids 0..255 are the 256 bytes and need no table;
 * merge i joins ids [a, b] into id 256 + i, so the merge list alone defines the vocabulary.
 *
 * This module validates and serializes; reading and writing files goes through a dynamic import
 * of node:fs so that the tokenizer itself still loads in a browser (which uses `fromJSON`).
 */
import { TextTokenizerError } from './errors.ts';
import { PRETOKENIZER_ID } from './pretokenize.ts';

export const TOKENIZER_FORMAT = 'tessera-text-bpe';
export const TOKENIZER_VERSION = 1;
export const BYTE_VOCAB = 256;
/** Pair keys are `a * 2^20 + b`, so ids must stay below 2^20. */
export const MAX_VOCAB_SIZE = 1 << 20;

export type Merge = readonly [number, number];

export interface TokenizerFile {
  format: typeof TOKENIZER_FORMAT;
  version: typeof TOKENIZER_VERSION;
  /** 256 byte ids plus one id per merge. */
  vocabSize: number;
  /** How text is split into words before merging; see pretokenize.ts. */
  pretokenizer: typeof PRETOKENIZER_ID;
  /** Merge i joins ids [a, b] into id 256 + i; both must be earlier ids. */
  merges: Merge[];
}

const KEYS = ['format', 'version', 'vocabSize', 'pretokenizer', 'merges'];

/**
 * Checks an untrusted value (parsed JSON) and returns it typed; throws TextTokenizerError naming
 * `source` and what is wrong.
 *
 * @example
 * parseTokenizerFile({ format: 'tessera-text-bpe', version: 2 }, 'tok.json');
 * // throws: tok.json is not a valid text tokenizer: "version" is 2, this build reads version 1
 */
export function parseTokenizerFile(value: unknown, source = 'tokenizer.json'): TokenizerFile {
  const fail = (why: string): never => {
    throw new TextTokenizerError(`${source} is not a valid text tokenizer: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  const file = value as Record<string, unknown>;
  const unknown = Object.keys(file).filter((k) => !KEYS.includes(k));
  if (unknown.length) fail(`unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}`);
  if (file.format !== TOKENIZER_FORMAT) fail(`"format" is ${JSON.stringify(file.format)}, expected "${TOKENIZER_FORMAT}"`);
  if (file.version !== TOKENIZER_VERSION) fail(`"version" is ${JSON.stringify(file.version)}, this build reads version ${TOKENIZER_VERSION}`);
  if (file.pretokenizer !== PRETOKENIZER_ID) fail(`"pretokenizer" is ${JSON.stringify(file.pretokenizer)}, this build implements "${PRETOKENIZER_ID}"`);
  if (!Array.isArray(file.merges)) return fail('"merges" must be an array of [a, b] id pairs');
  const merges = file.merges as unknown[];
  if (file.vocabSize !== BYTE_VOCAB + merges.length) {
    fail(`"vocabSize" is ${JSON.stringify(file.vocabSize)} but 256 bytes + ${merges.length} merges make ${BYTE_VOCAB + merges.length}`);
  }
  if (BYTE_VOCAB + merges.length > MAX_VOCAB_SIZE) fail(`more than ${MAX_VOCAB_SIZE} ids`);
  const seen = new Set<number>();
  merges.forEach((merge, i) => {
    const next = BYTE_VOCAB + i;
    const isId = (id: unknown): id is number => Number.isInteger(id) && (id as number) >= 0 && (id as number) < next;
    if (!Array.isArray(merge) || merge.length !== 2 || !isId(merge[0]) || !isId(merge[1])) {
      return fail(`merges[${i}] is ${JSON.stringify(merge)}; expected [a, b], two integer ids below ${next}`);
    }
    const key = merge[0] * MAX_VOCAB_SIZE + merge[1];
    if (seen.has(key)) fail(`merges[${i}] repeats the pair ${JSON.stringify(merge)}`);
    seen.add(key);
  });
  return file as unknown as TokenizerFile;
}

/**
 * Deterministic JSON text, one merge per line so diffs between tokenizers stay readable.
 *
 * @example
 * writeFileSync('tokenizer.json', serializeTokenizerFile(tokenizer.toJSON()));
 */
export function serializeTokenizerFile(file: TokenizerFile): string {
  const head = { format: file.format, version: file.version, vocabSize: file.vocabSize, pretokenizer: file.pretokenizer };
  const fields = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const merges = file.merges.map((m) => `    [${m[0]}, ${m[1]}]`).join(',\n');
  return `{\n${fields.join('\n')}\n  "merges": [${merges ? `\n${merges}\n  ` : ''}]\n}\n`;
}

/** Reads and validates a tokenizer.json (Node only). */
export async function readTokenizerFile(path: string): Promise<TokenizerFile> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TextTokenizerError(`cannot read tokenizer ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TextTokenizerError(`${path} is not a valid text tokenizer: not JSON (${(error as Error).message})`);
  }
  return parseTokenizerFile(value, path);
}

/** Writes a tokenizer.json (Node only). */
export async function writeTokenizerFile(path: string, file: TokenizerFile): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, serializeTokenizerFile(file));
}
