/**
 * Speed check for the text tokenizer on synthetic multilingual captions (not a test):
 *   node --import tsx src/tokenizers/text/bench.ts [captions=1200000] [vocab=4096]
 * 1.2M captions is about 50 MB, the top of the expected corpus size. Prints training time and
 * encode/decode speed on 1 MB of held-out captions.
 */
import { TextTokenizer } from './bpe-tokenizer.ts';
import { learnMerges } from './bpe-trainer.ts';
import { syntheticCaptions } from './synthetic-captions.ts';
import { countWords } from './word-counts.ts';

const captionCount = Number(process.argv[2] ?? 1_200_000);
const vocabSize = Number(process.argv[3] ?? 4096);
const since = (t: number) => (performance.now() - t) / 1000;

const corpus = syntheticCaptions(captionCount, 1);
const megabytes = corpus.reduce((sum, c) => sum + Buffer.byteLength(c) + 1, 0) / 1e6;

let t = performance.now();
const counts = countWords(corpus);
const countSeconds = since(t);
t = performance.now();
const learned = learnMerges(counts.words, { vocabSize });
const mergeSeconds = since(t);
console.log(
  `train: ${captionCount} captions, ${megabytes.toFixed(1)} MB, ${counts.words.size} distinct words: ` +
    `count ${countSeconds.toFixed(2)} s + ${learned.merges.length} merges ${mergeSeconds.toFixed(2)} s ` +
    `= ${(countSeconds + mergeSeconds).toFixed(2)} s; ${(learned.bytes / learned.tokens).toFixed(2)} bytes/token`,
);

const tokenizer = TextTokenizer.fromMerges(learned.merges);
const heldOut: string[] = [];
for (let size = 0, i = 0, batch = syntheticCaptions(40_000, 2); size < 1e6; i++) {
  heldOut.push(batch[i]);
  size += Buffer.byteLength(batch[i]) + 1;
}
const text = heldOut.join('\n');
for (const cache of ['cold', 'warm']) {
  t = performance.now();
  const ids = tokenizer.encode(text);
  const s = since(t);
  console.log(`encode (${cache} cache): ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB -> ${ids.length} tokens in ${s.toFixed(3)} s = ${(ids.length / s / 1e6).toFixed(2)} M tokens/s`);
}
const ids = tokenizer.encode(text);
t = performance.now();
const same = tokenizer.decode(ids) === text;
console.log(`decode: ${(ids.length / since(t) / 1e6).toFixed(2)} M tokens/s, round trip ${same ? 'exact' : 'BROKEN'}`);
