import type { EpisodeEncoder } from '../episodes/build-episodes.ts';
import { WorldError } from '../world-error.ts';

/**
 * The encoder that writes token pieces into shards: the text tokenizer plus the model's sequence
 * format. Loaded lazily so that worlds without a tokenizer need neither module.
 */
export async function loadEpisodeEncoder(tokenizerPath: string): Promise<EpisodeEncoder> {
  try {
    const { TextTokenizer } = await import('../../tokenizers/text/index.ts');
    const { encodeEpisode } = await import('../../model/episode-encoding.ts');
    const { vocabularyLayout } = await import('../../model/vocabulary.ts');
    const tokenizer = await TextTokenizer.load(tokenizerPath);
    const vocab = vocabularyLayout(tokenizer.vocabSize);
    return (episode) => encodeEpisode(episode, tokenizer, vocab);
  } catch (error) {
    throw new WorldError(`cannot load tokenizer ${tokenizerPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
