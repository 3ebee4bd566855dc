/**
 * A model as a subject: each case becomes one engine call (generate, edit, describe, chat) with the
 * case's seed and the model's default settings (its sampling.json, else the engine's; or the image
 * sampling settings given). By default
 * N = 1, no best-of-N reranking: the model's own first sample is what is measured. With `bestOf` > 1
 * a text→image case asks for that many candidates in one batch and keeps the one the model ranks
 * first (its own image→text likelihood of the prompt): what `tessera generate -n N` returns. Edits
 * and chat turns stay N = 1 (the engine ranks candidates by a prompt's likelihood, and an edit's
 * instruction does not describe its image). Answers to questions keep the engine's text defaults
 * (greedy).
 */
import type { Engine } from '../../engine/engine.ts';
import type { ChatMessage } from '../../engine/chat.ts';
import type { ImageCodec } from '../../engine/image-codec.ts';
import type { GeneratedImage } from '../../engine/events.ts';
import type { SamplingSettings } from '../../engine/options.ts';
import type { Subject, SubjectImage } from './subject.ts';
import { median } from '../../util/median.ts';

function image(generated: GeneratedImage | undefined, what: string): SubjectImage {
  if (!generated?.rgba) throw new Error(`${what}: the engine returned no pixels (is it loaded with a VQ?)`);
  return { rgba: generated.rgba, codes: generated.codes };
}

/** What a report records: the model's image defaults, over them the settings given (no seed: each case has its own). */
export function recordedSampling({ seed: _, ...modelImage }: SamplingSettings, given: Partial<Omit<SamplingSettings, 'seed'>>): Partial<Omit<SamplingSettings, 'seed'>> {
  return { ...modelImage, ...given };
}

export function engineSubject(name: string, engine: Engine, codec: ImageCodec, sampling: Partial<Omit<SamplingSettings, 'seed'>> = {}, bestOf = 1): Subject {
  if (!Number.isInteger(bestOf) || bestOf < 1) throw new RangeError(`bestOf must be a positive integer, got ${bestOf}`);
  const imageTokens = engine.config.image.tokens;
  return {
    name,
    images: 'degraded',
    // The settings the images were made with, not just those given.
    sampling: recordedSampling(engine.sampling.image, sampling),
    editSampling: recordedSampling(engine.sampling.edit, sampling),
    bestOf,
    async generate(c) {
      // Ranked best first when scored.
      const { images } = await engine.generate({ ...sampling, prompt: c.prompt, seed: c.seed, n: bestOf, score: bestOf > 1, previewEvery: 0 });
      return image(images[0], c.id);
    },
    async edit(c, source) {
      // Without a mask the instruction alone must say what to change and keeping the rest is what is
      // measured; a case with a mask (edit-locked) locks every cell outside it to the source's code.
      const codes = await codec.encode(source);
      const mask = c.task === 'edit' && c.mask ? { mask: { boxes: c.mask } } : {};
      const { images } = await engine.edit({ ...sampling, image: { codes }, instruction: c.instruction, seed: c.seed, n: 1, score: false, previewEvery: 0, ...mask });
      return image(images[0], c.id);
    },
    encode: async (rgba) => Uint16Array.from(await codec.encode(rgba)),
    describe: async (c, rgba) => await engine.describe(rgba, { question: c.question, seed: c.seed }),
    async converse(c) {
      const messages: ChatMessage[] = [];
      const out: SubjectImage[] = [];
      for (const turn of c.turns) {
        messages.push({ role: 'user', content: turn.prompt });
        const reply = await engine.chat(messages, { ...sampling, reply: 'image', seed: c.seed, previewEvery: 0 });
        const made = image(reply.images[0], c.id);
        out.push(made);
        messages.push({ role: 'assistant', content: [{ image: { codes: made.codes! } }] });
      }
      return out;
    },
    async speed(c) {
      const once = async () => {
        const started = performance.now();
        await engine.generate({ ...sampling, prompt: c.prompt, n: c.n, seed: c.seed, score: false });
        return performance.now() - started;
      };
      await once(); // warm-up, as bench/engine.ts
      const times: number[] = [];
      for (let r = 0; r < c.repeats; r++) times.push(await once());
      const msPerImage = median(times) / c.n;
      return { msPerImage, tokensPerSecond: (imageTokens * 1000) / msPerImage };
    },
    close: () => engine.close(),
  };
}
