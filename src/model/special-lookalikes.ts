/**
 * Strings a user might type that look like control tokens: every special and task marker of the
 * vocabulary (vocabulary.ts) spelled the ways models write theirs, other models' control strings,
 * and raw control characters. Test data for the proof that prompt text never escapes its role
 * (src/engine/prompt-specials.test.ts, src/server/prompt-specials.test.ts); taken from the
 * vocabulary itself, so a special added there is covered here.
 */
import { EPISODE_TASKS, SPECIAL_NAMES } from './vocabulary.ts';

export const SPECIAL_LOOKALIKES: readonly string[] = [
  ...SPECIAL_NAMES.flatMap((name) => [`<${name}>`, `<|${name}|>`, `[${name.toUpperCase()}]`, `</${name}>`, name]),
  ...EPISODE_TASKS.flatMap((task) => [`<task:${task}>`, `<|${task}|>`]),
  '<|image|>', '<image>', '<|endoftext|>', '<s>', '</s>', '<unk>', '<|im_start|>assistant', '[INST]', '<<SYS>>', '<img:0>', '<img:1023>', '#4096', '#42',
  '\u0000', '\u0000\u0001\u0002\u001b[31m\u007f', '\r\n\t\v\f', '\uFFFD', '\uFEFF', '\u202E', '\u200B', '\uD800', '\uDFFF\uD800', '\u{10FFFF}', '\u{1F98A}',
];
