/**
 * Multi-turn conversation: earlier messages (text, and images as codes) are the context, and the
 * model writes the next assistant turn, text or images or both, until its <end_turn>.
 *
 * The task marker comes from the conversation unless given: earlier assistant turns make it
 * 'multiturn'; a single user turn with an image is 'i2t' when a text reply is asked for, else 'edit';
 * otherwise 't2i'.
 *
 * A text reply (`reply: 'text'`) with greedy, unguided settings (the default) is searched with
 * TEXT_REPLY_BEAMS hypotheses, as describe's, and leaves as one text event; `beams: 1` streams it.
 *
 * @example
 *   const reply = await engine.chat([
 *     { role: 'user', content: 'draw a cat with a hat' },
 *     { role: 'assistant', content: [{ image: { codes } }] },
 *     { role: 'user', content: 'now put the same character to the left of a tree' },
 *   ]);
 */
import type { EpisodeTask, Role } from '../world/sample.ts';
import { replyBeams, searchedReplyEvents } from './beam-search.ts';
import type { GrammarRules, ReplyKind } from './constraints.ts';
import { needTokenizer, samplingDefaults, type EngineContext } from './context.ts';
import { decodeTokens } from './decode-loop.ts';
import { check, EngineError } from './errors.ts';
import type { ChatEvent, GeneratedImage, RgbaImage } from './events.ts';
import { defaultJacobi } from './generate.ts';
import { copyImage, decodeRows } from './image-codec.ts';
import { imageCodes, type ImageInput } from './image-input.ts';
import { rejectUnknown, SAMPLING_KEYS, samplingSettings, type SamplingSettings } from './options.ts';
import { encodePng } from './image-files.ts';
import { OrderedEvents } from './ordered-events.ts';
import { promptIds, type Turn } from './prompt.ts';
import { ReplyText } from './text-stream.ts';

export type ChatPart = { text: string } | { image: ImageInput };

export interface ChatMessage {
  role: Role;
  content: string | ChatPart[];
}

export interface ChatOptions extends Partial<SamplingSettings> {
  task?: EpisodeTask;
  /** What the reply may hold (default 'any': the model chooses text or images). */
  reply?: ReplyKind;
  /** Longest reply in tokens (default: one image plus 128 text tokens, within maxSeqLen). */
  maxTokens?: number;
  previewEvery?: number;
  png?: boolean;
  /**
   * Text replies only: beam search over this many hypotheses (beam-search.ts); TEXT_REPLY_BEAMS by
   * default with greedy, unguided settings, else 1, which decodes token by token and streams.
   */
  beams?: number;
  signal?: AbortSignal;
}

export function chatTask(messages: readonly ChatMessage[], reply: ReplyKind): EpisodeTask {
  if (messages.some((m) => m.role === 'assistant')) return 'multiturn';
  const hasImage = messages.some((m) => typeof m.content !== 'string' && m.content.some((p) => 'image' in p));
  if (hasImage) return reply === 'text' ? 'i2t' : 'edit';
  return 't2i';
}

export async function* chatReply(ctx: EngineContext, messages: readonly ChatMessage[], options: ChatOptions = {}): AsyncGenerator<ChatEvent> {
  rejectUnknown(options, ['task', 'reply', 'maxTokens', 'previewEvery', 'png', 'beams', 'signal', ...SAMPLING_KEYS], 'chat');
  check(messages.length > 0 && messages.at(-1)!.role === 'user', 'chat: the last message must be the user\'s');
  const tokenizer = needTokenizer(ctx);
  const { vocab, image, model } = ctx.config;
  const reply = options.reply ?? 'any';
  const task = options.task ?? chatTask(messages, reply);
  // Settings are checked before any image is encoded.
  const settings = samplingSettings(options, samplingDefaults(ctx)[reply === 'text' ? 'text' : 'image']);
  check(options.beams === undefined || options.beams === 1 || reply === 'text', `beams search text replies: beams ${options.beams} needs reply 'text', got '${reply}'`);
  const beams = reply === 'text' ? replyBeams(options.beams, settings) : 1;
  const turns: Turn[] = [];
  for (const message of messages) {
    const content = typeof message.content === 'string' ? [{ text: message.content }] : message.content;
    const parts = [];
    for (const part of content) parts.push('text' in part ? { text: part.text } : { codes: await imageCodes(part.image, ctx.codec, image.tokens, vocab.image.size) });
    turns.push({ role: message.role, parts });
  }
  const prompt = promptIds(task, turns, tokenizer, vocab, { imageTokens: image.tokens });
  const room = model.maxSeqLen - prompt.length;
  if (room < 1) throw new EngineError('too-long', `the conversation is ${prompt.length} tokens; the model reads at most ${model.maxSeqLen}`);
  const maxTokens = Math.min(options.maxTokens ?? (reply === 'text' ? 128 : image.tokens + 2 + (reply === 'any' ? 128 : 0)), room);
  check(Number.isInteger(maxTokens) && maxTokens >= 1, `maxTokens must be a positive integer, got ${maxTokens}`);
  const previewEvery = options.previewEvery ?? 1;
  const rules: GrammarRules = { reply, imageTokens: image.tokens };

  const text = new ReplyText(tokenizer, vocab);
  if (beams > 1) {
    yield* searchedReplyEvents(ctx.session, prompt, { beams, maxNewTokens: maxTokens, rules, signal: options.signal }, text);
    yield { type: 'done', text: text.text, images: [] };
    return;
  }
  const uncond = promptIds(task, turns, tokenizer, vocab, { drop: true, imageTokens: image.tokens });
  const images: GeneratedImage[] = [];
  const grid = image.grid[1];
  let codes = new Uint16Array(image.tokens);
  let count = 0;
  /** The preview of the current image's whole grid: its full decode, so its final pixels. */
  let last: Promise<RgbaImage> | undefined;
  // Previews decode beside the loop (in the VQ worker, when the codec runs one) and events leave in
  // order (ordered-events.ts), as image-run.ts does; image codes go in Jacobi windows (generate.ts).
  const queue = new OrderedEvents<ChatEvent>();
  const steps = decodeTokens(ctx.session, [prompt], [uncond], { cfg: settings.cfg, sampling: settings, seed: settings.seed, rules, maxNewTokens: maxTokens, signal: options.signal, jacobi: defaultJacobi(1) });
  for await (const { step, tokens } of steps) {
    queue.push({ type: 'progress', done: step + 1, total: maxTokens });
    const id = tokens[0];
    if (id >= vocab.image.start && id < vocab.image.start + vocab.image.size) {
      codes[count++] = id - vocab.image.start;
      if (count % grid === 0) {
        const rows = count / grid;
        const event = { type: 'partial' as const, index: images.length, rows, codes: codes.slice(0, count) };
        const preview = ctx.codec && previewEvery > 0 && rows % previewEvery === 0 ? decodeRows(ctx.codec, codes.slice(), rows, grid) : undefined;
        if (preview && rows === grid) last = preview;
        queue.push(preview ? preview.then((image) => ({ ...event, image })) : event);
      }
    } else if (id === vocab.specials.eoi) {
      const done: GeneratedImage = { index: images.length, codes };
      if (ctx.codec) done.rgba = count === image.tokens && last ? copyImage(await last) : await ctx.codec.decode(codes);
      last = undefined;
      if (options.png && done.rgba) done.png = await encodePng(done.rgba);
      images.push(done);
      queue.push({ type: 'image', ...done });
      codes = new Uint16Array(image.tokens);
      count = 0;
    } else {
      const delta = text.push(id);
      if (delta) queue.push({ type: 'text', index: 0, text: delta });
    }
    yield* queue.ready();
  }
  yield* queue.drain(options.signal);
  const tail = text.flush();
  if (tail) yield { type: 'text', index: 0, text: tail };
  yield { type: 'done', text: text.text, images };
}
