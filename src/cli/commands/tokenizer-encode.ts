import { readFile } from 'node:fs/promises';
import { defineCommand, UserError } from '../command.ts';
import { TextTokenizer } from '../../tokenizers/text/bpe-tokenizer.ts';
import { TextTokenizerError } from '../../tokenizers/text/errors.ts';

export default defineCommand({
  name: 'tokenizer encode',
  summary: 'Show the text ids and pieces of a string, or time encoding a file',
  usage: '<text>',
  flags: {
    tokenizer: { type: 'string', short: 't', description: 'tokenizer.json to use', default: 'tokenizer.json' },
    json: { type: 'boolean', description: 'print JSON instead of text' },
    file: { type: 'string', description: 'encode this file instead and report tokens/s' },
  },
  async run({ positionals, flags }) {
    try {
      const tokenizer = await TextTokenizer.load(flags.tokenizer);
      if (flags.file !== undefined) return await encodeFile(tokenizer, flags.file, flags.json === true);
      const text = positionals.join(' ');
      if (text === '') throw new UserError('nothing to encode: tessera tokenizer encode --tokenizer tokenizer.json "a red cat"');
      const ids = tokenizer.encode(text);
      const pieces = ids.map((id) => tokenizer.piece(id));
      if (flags.json) {
        console.log(JSON.stringify({ ids, pieces }));
        return;
      }
      console.log(`${ids.length} tokens, ${new TextEncoder().encode(text).length} bytes`);
      console.log(`ids:    ${ids.join(' ')}`);
      console.log(`pieces: ${pieces.map((p) => JSON.stringify(p)).join(' ')}`);
    } catch (error) {
      if (error instanceof TextTokenizerError) throw new UserError(error.message);
      throw error;
    }
  },
});

/**
 * Encodes the whole file twice: the first pass pays for the empty word cache and JIT warm-up,
 * the second is the steady state of a long-running server.
 */
async function encodeFile(tokenizer: TextTokenizer, path: string, json: boolean): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const bytes = Buffer.byteLength(text);
  const passes = ['cold', 'warm'].map((cache) => {
    const started = performance.now();
    const tokens = tokenizer.encode(text).length;
    const seconds = (performance.now() - started) / 1000;
    return { cache, tokens, seconds, tokensPerSecond: Math.round(tokens / seconds) };
  });
  const tokens = passes[0].tokens;
  if (json) {
    console.log(JSON.stringify({ bytes, tokens, bytesPerToken: bytes / Math.max(tokens, 1), passes }));
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  console.log(`${path}: ${n(bytes)} bytes -> ${n(tokens)} tokens, ${(bytes / Math.max(tokens, 1)).toFixed(2)} bytes/token`);
  for (const p of passes) {
    console.log(`  ${p.cache} cache: ${p.seconds.toFixed(3)} s, ${n(p.tokensPerSecond)} tokens/s, ${(bytes / p.seconds / 1e6).toFixed(1)} MB/s`);
  }
}
