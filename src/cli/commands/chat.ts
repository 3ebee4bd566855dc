import { join } from 'node:path';
import type { ReplyKind } from '../../engine/constraints.ts';
import { defineCommand, UserError } from '../command.ts';
import { MODEL_FLAGS, SAMPLING_FLAGS, samplingOptions } from '../engine-flags.ts';

const REPLIES: readonly ReplyKind[] = ['any', 'text', 'image'];

function stamp(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export default defineCommand({
  name: 'chat',
  summary: 'Talk with the model on the terminal: text and images, /image PATH to show it one (stdin may be piped)',
  flags: {
    reply: { type: 'string', description: 'what replies may hold: any (the model chooses), text or image', default: 'any' },
    'out-dir': { type: 'string', description: 'folder for the images the model makes', default: '.' },
    'max-tokens': { type: 'number', description: 'longest reply, in tokens (default: one image plus 128 text tokens)' },
    ...SAMPLING_FLAGS,
    ...MODEL_FLAGS,
  },
  async run({ positionals, flags }) {
    if (positionals.length) throw new UserError('chat takes no arguments: run tessera chat, then type (or pipe) one message per line');
    const reply = flags.reply as ReplyKind;
    if (!REPLIES.includes(reply)) throw new UserError(`--reply must be one of ${REPLIES.join(', ')}, got ${flags.reply}`);
    const [{ loadModel }, { runChat }] = await Promise.all([import('../load-model.ts'), import('../chat-session.ts')]);
    const model = await loadModel(flags);
    const options = { reply, ...(flags['max-tokens'] !== undefined ? { maxTokens: flags['max-tokens'] } : {}), ...samplingOptions(flags) };
    try {
      await runChat(model, options, join(flags['out-dir'], `chat-${stamp()}`));
    } finally {
      await model.close();
    }
  },
});
