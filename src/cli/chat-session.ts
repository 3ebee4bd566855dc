/**
 * The terminal conversation behind `tessera chat`. Each line is a user turn; `/image PATH` attaches
 * an image to the next one. The whole conversation, images as their codes, is the context of every
 * reply. Images the model makes are saved (<prefix>-1.png, ...) and their paths printed on stdout;
 * notes go to stderr. Reads piped stdin too, a line per turn, which is how the tests drive it.
 */
import { createInterface } from 'node:readline';
import { type ChatMessage, type ChatOptions, type ChatPart, EngineError } from '../engine/index.ts';
import { UserError } from './command.ts';
import { decodeImageFile, readFileBytes, writeImageFile } from './image-files.ts';
import { asUserError, type LoadedModel } from './load-model.ts';

const HELP = 'Type a message and press Enter. /image PATH attaches an image to your next message; /reset starts over; /quit leaves.';

interface Session {
  model: LoadedModel;
  messages: ChatMessage[];
  pending: ChatPart[];
  images: number;
  prefix: string;
}

/** One assistant turn: text streamed to stdout, images saved and their paths printed (no progress bar: it would tear the streamed text). */
async function reply(session: Session, options: ChatOptions, signal: AbortSignal): Promise<ChatPart[]> {
  const parts: ChatPart[] = [];
  let text = '';
  let atLineStart = true;
  const flushText = () => {
    if (text) parts.push({ text });
    text = '';
  };
  try {
    for await (const event of session.model.engine.chat(session.messages, { ...options, signal })) {
      if (event.type === 'text') {
        text += event.text;
        process.stdout.write(event.text);
        atLineStart = event.text.endsWith('\n');
      } else if (event.type === 'image') {
        flushText();
        parts.push({ image: { codes: event.codes } });
        const path = `${session.prefix}-${++session.images}.png`;
        await writeImageFile(event.rgba!, path);
        if (!atLineStart) process.stdout.write('\n');
        console.log(`[image] ${path}`);
        atLineStart = true;
      }
    }
  } finally {
    if (!atLineStart) process.stdout.write('\n'); // also when stopped mid-sentence
  }
  flushText();
  return parts;
}

async function handleLine(session: Session, line: string, options: ChatOptions, signal: AbortSignal): Promise<'quit' | void> {
  const [command, ...rest] = line.split(/\s+/);
  if (command === '/quit' || command === '/exit') return 'quit';
  if (command === '/help') return void console.error(HELP);
  if (command === '/reset') {
    session.messages = [];
    session.pending = [];
    return void console.error('(the conversation is cleared)');
  }
  if (command === '/image') {
    const path = rest.join(' ');
    if (!path) return void console.error('/image needs a path: /image photo.png');
    session.pending.push({ image: await decodeImageFile(await readFileBytes(path), path, 'image', session.model.imageSize) });
    return void console.error(`(attached ${path} to your next message)`);
  }
  if (command.startsWith('/')) return void console.error(`unknown command ${command}. ${HELP}`);
  session.messages.push({ role: 'user', content: [...session.pending, { text: line }] });
  session.pending = [];
  try {
    const parts = await reply(session, options, signal);
    if (parts.length === 0) console.error(`(no reply: the conversation may be too long for the model's ${session.model.engine.config.model.maxSeqLen} tokens; /reset to start over)`);
    session.messages.push({ role: 'assistant', content: parts.length ? parts : [{ text: '' }] });
  } catch (error) {
    session.messages.pop(); // the turn failed: leave the context as it was
    throw error;
  }
}

/** Runs the conversation until /quit or the end of input. */
export async function runChat(model: LoadedModel, options: Omit<ChatOptions, 'signal'>, prefix: string): Promise<void> {
  const session: Session = { model, messages: [], pending: [], images: 0, prefix };
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  let running: AbortController | undefined;
  // Ctrl-C stops a reply in progress; at the prompt it leaves.
  rl.on('SIGINT', () => (running ? running.abort() : rl.close()));
  if (tty) {
    console.error(`Chatting with ${model.id}. ${HELP}`);
    rl.setPrompt('you> ');
    rl.prompt();
  }
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line) {
        running = new AbortController();
        try {
          if ((await handleLine(session, line, options, running.signal)) === 'quit') break;
        } catch (error) {
          const shown = asUserError(error);
          if (shown instanceof UserError) console.error(error instanceof EngineError && error.code === 'too-long' ? `${shown.message}; /reset to start over` : shown.message);
          else if ((error as Error).name === 'AbortError') console.error('(stopped)');
          else throw error;
        } finally {
          running = undefined;
        }
      }
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
  }
}
