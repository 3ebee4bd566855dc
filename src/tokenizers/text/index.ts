/**
 * The text tokenizer: byte-level BPE, implemented once, here. Everything exported from this file is
 * browser-safe; the Node-only corpus reader is `./corpus.ts`.
 *
 * @example
 * import { trainBpe, TextTokenizer } from './tokenizers/text/index.ts';
 * const tokenizer = trainBpe(captions, { vocabSize: 4096 });
 * await tokenizer.save('tokenizer.json');
 * const same = await TextTokenizer.load('tokenizer.json');
 */
export { TextTokenizer } from './bpe-tokenizer.ts';
export { learnMerges, trainBpe, type LearnedMerges, type TrainBpeOptions } from './bpe-trainer.ts';
export { TextTokenizerError } from './errors.ts';
export { pretokenize, PRETOKENIZER_ID } from './pretokenize.ts';
export { StreamingTextDecoder } from './streaming-decoder.ts';
export { type Merge, parseTokenizerFile, serializeTokenizerFile, type TokenizerFile } from './tokenizer-file.ts';
export { countWords, type WordCounts } from './word-counts.ts';
