/**
 * Reads training text for the tokenizer (Node only, so index.ts does not re-export it):
 * - `.txt`: one document per line;
 * - `.jsonl`: one JSON object per line, taking its `text` string and every `captions[].text`
 *   (the shape of a world sample's captions);
 * - a folder: every .txt and .jsonl below it, in sorted path order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { TextTokenizerError } from './errors.ts';

const EXTENSIONS = ['.txt', '.jsonl'];

/** The corpus files named by `paths` (files or folders), sorted within each folder. */
export function corpusFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (EXTENSIONS.includes(extname(name))) files.push(path);
    }
  };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new TextTokenizerError(`corpus ${path} does not exist`);
    }
    if (isDirectory) walk(path);
    else if (EXTENSIONS.includes(extname(path))) files.push(path);
    else throw new TextTokenizerError(`corpus file ${path} is neither .txt nor .jsonl`);
  }
  return files;
}

/**
 * Every document in the given files and folders, lazily, one file in memory at a time.
 *
 * @example
 * const tokenizer = trainBpe(readCorpus(['captions/']), { vocabSize: 4096 });
 */
export function* readCorpus(paths: readonly string[]): Generator<string> {
  for (const file of corpusFiles(paths)) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    if (extname(file) === '.txt') {
      for (const line of lines) if (line.length > 0) yield line;
      continue;
    }
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(lines[i]);
      } catch (error) {
        throw new TextTokenizerError(`${file}:${i + 1}: not JSON (${(error as Error).message})`);
      }
      yield* textsOf(record);
    }
  }
}

function* textsOf(record: unknown): Generator<string> {
  if (typeof record !== 'object' || record === null) return;
  const { text, captions } = record as { text?: unknown; captions?: unknown };
  if (typeof text === 'string' && text.length > 0) yield text;
  if (!Array.isArray(captions)) return;
  for (const caption of captions) {
    const captionText = (caption as { text?: unknown } | null)?.text;
    if (typeof captionText === 'string' && captionText.length > 0) yield captionText;
  }
}
