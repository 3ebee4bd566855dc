/**
 * Image -> text: an i2t episode (the image and a question), unguided by default. Greedy text settings
 * (the default) search TEXT_REPLY_BEAMS hypotheses and send the reply as one text event when the
 * search ends; `beams: 1` (or sampled settings) streams text events as whole characters arrive.
 *
 * @example
 *   const text = await engine.describe({ codes });
 *   for await (const e of engine.describe({ codes }, { question: 'how many stars?' })) if (e.type === 'text') write(e.text);
 */
import { replyBeams, searchedReplyEvents } from './beam-search.ts';
import { DESCRIBE_QUESTION } from './best-of-n.ts';
import { type GrammarRules } from './constraints.ts';
import { needTokenizer, samplingDefaults, type EngineContext } from './context.ts';
import { decodeTokens } from './decode-loop.ts';
import { check } from './errors.ts';
import type { DescribeEvent } from './events.ts';
import { imageCodes, type ImageInput } from './image-input.ts';
import { rejectUnknown, SAMPLING_KEYS, samplingSettings, type SamplingSettings } from './options.ts';
import { promptIds } from './prompt.ts';
import { ReplyText } from './text-stream.ts';

export interface DescribeOptions extends Partial<SamplingSettings> {
  /** What to ask about the image (default: 'describe the image'). */
  question?: string;
  /** Longest answer in tokens (default 128). */
  maxTokens?: number;
  /**
   * Beam search over this many hypotheses (beam-search.ts): TEXT_REPLY_BEAMS by default with greedy,
   * unguided settings, else 1; 1 decodes token by token and streams.
   */
  beams?: number;
  signal?: AbortSignal;
}

export async function* describeImage(ctx: EngineContext, image: ImageInput, options: DescribeOptions = {}): AsyncGenerator<DescribeEvent> {
  rejectUnknown(options, ['question', 'maxTokens', 'beams', 'signal', ...SAMPLING_KEYS], 'describe');
  const tokenizer = needTokenizer(ctx);
  const { vocab, image: shape } = ctx.config;
  const maxTokens = options.maxTokens ?? 128;
  check(Number.isInteger(maxTokens) && maxTokens >= 1, `maxTokens must be a positive integer, got ${maxTokens}`);
  const settings = samplingSettings(options, samplingDefaults(ctx).text);
  const beams = replyBeams(options.beams, settings);
  const codes = await imageCodes(image, ctx.codec, shape.tokens, vocab.image.size);
  const parts = [{ codes }, { text: options.question ?? DESCRIBE_QUESTION }];
  const prompt = promptIds('i2t', [{ role: 'user', parts }], tokenizer, vocab, { imageTokens: shape.tokens });
  const rules: GrammarRules = { reply: 'text', imageTokens: shape.tokens };
  const text = new ReplyText(tokenizer, vocab);
  if (beams > 1) {
    yield* searchedReplyEvents(ctx.session, prompt, { beams, maxNewTokens: maxTokens, rules, signal: options.signal }, text);
    yield { type: 'done', text: text.text };
    return;
  }
  const uncond = promptIds('i2t', [{ role: 'user', parts }], tokenizer, vocab, { drop: true, imageTokens: shape.tokens });
  const steps = decodeTokens(ctx.session, [prompt], [uncond], { cfg: settings.cfg, sampling: settings, seed: settings.seed, rules, maxNewTokens: maxTokens, signal: options.signal });
  for await (const { step, tokens } of steps) {
    yield { type: 'progress', done: step + 1, total: maxTokens };
    const delta = text.push(tokens[0]);
    if (delta) yield { type: 'text', index: 0, text: delta };
  }
  const tail = text.flush();
  if (tail) yield { type: 'text', index: 0, text: tail };
  yield { type: 'done', text: text.text };
}
