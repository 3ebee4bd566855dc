import { defineCommand, UserError } from '../command.ts';
import { learnMerges } from '../../tokenizers/text/bpe-trainer.ts';
import { TextTokenizer } from '../../tokenizers/text/bpe-tokenizer.ts';
import { corpusFiles, readCorpus } from '../../tokenizers/text/corpus.ts';
import { TextTokenizerError } from '../../tokenizers/text/errors.ts';
import { BYTE_VOCAB } from '../../tokenizers/text/tokenizer-file.ts';
import { countWords } from '../../tokenizers/text/word-counts.ts';

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const thousands = (n: number) => n.toLocaleString('en-US');

export default defineCommand({
  name: 'tokenizer train',
  summary: 'Train the byte-level BPE text tokenizer on caption text',
  usage: '[corpus files or folders...]',
  flags: {
    corpus: { type: 'string', description: '.txt (a document per line), .jsonl (text, captions[].text) or a folder of them; comma-separated for several' },
    vocab: { type: 'number', description: 'vocabulary size, the 256 byte ids included', default: 4096 },
    'min-frequency': { type: 'number', description: 'never merge pairs seen fewer times than this', default: 2 },
    out: { type: 'string', short: 'o', description: 'where to write the tokenizer', default: 'tokenizer.json' },
  },
  async run({ positionals, flags }) {
    const paths = [...(flags.corpus?.split(',').filter(Boolean) ?? []), ...positionals];
    if (paths.length === 0) throw new UserError('no corpus: pass --corpus FILE_OR_FOLDER (comma-separated for several)');
    try {
      const started = performance.now();
      const files = corpusFiles(paths);
      if (files.length === 0) throw new UserError(`no .txt or .jsonl files in ${paths.join(', ')}`);
      const counts = countWords(readCorpus(files));
      console.log(`corpus: ${files.length} file(s), ${thousands(counts.documents)} documents, ${thousands(counts.words.size)} distinct words (${seconds(started)})`);

      const mergeStart = performance.now();
      const live = process.stderr.isTTY;
      const learned = learnMerges(counts.words, {
        vocabSize: flags.vocab,
        minFrequency: flags['min-frequency'],
        onProgress: live ? (p) => process.stderr.write(`\rmerges ${p.merges}/${p.target} (${p.seconds.toFixed(1)} s)`) : undefined,
      });
      if (live) process.stderr.write('\n');
      const vocabSize = BYTE_VOCAB + learned.merges.length;
      const short = vocabSize < flags.vocab ? ` (stopped short of ${flags.vocab}: no pair left with count >= ${flags['min-frequency']})` : '';
      console.log(`merges: ${thousands(learned.merges.length)} in ${seconds(mergeStart)}, vocab ${thousands(vocabSize)}${short}`);
      const ratio = learned.tokens > 0 ? (learned.bytes / learned.tokens).toFixed(2) : '-';
      console.log(`compression: ${thousands(learned.bytes)} bytes -> ${thousands(learned.tokens)} tokens, ${ratio} bytes/token`);

      await TextTokenizer.fromMerges(learned.merges).save(flags.out);
      console.log(`wrote ${flags.out} (total ${seconds(started)})`);
    } catch (error) {
      if (error instanceof TextTokenizerError) throw new UserError(error.message);
      throw error;
    }
  },
});
