import type { Command } from '../command.ts';
import chat from './chat.ts';
import describe from './describe.ts';
import detokenize from './detokenize.ts';
import edit from './edit.ts';
import evalCommand from './eval.ts';
import evalCompare from './eval-compare.ts';
import evalRescore from './eval-rescore.ts';
import generate from './generate.ts';
import modelConfig from './model-config.ts';
import roundtrip from './roundtrip.ts';
import serve from './serve.ts';
import tokenize from './tokenize.ts';
import tokenizerEncode from './tokenizer-encode.ts';
import tokenizerTrain from './tokenizer-train.ts';
import { worldBuild } from './world-build.ts';
import { worldCorpus } from './world-corpus.ts';
import { worldRender } from './world-render.ts';
import { worldSheet } from './world-sheet.ts';

/** Every CLI command, in the order `tessera --help` lists them. Add one line per command. */
export const commands: Command[] = [
  worldBuild as Command,
  worldSheet as Command,
  worldRender as Command,
  worldCorpus as Command,
  tokenizerTrain as unknown as Command,
  tokenizerEncode as unknown as Command,
  modelConfig as unknown as Command,
  tokenize as unknown as Command,
  detokenize as unknown as Command,
  roundtrip as unknown as Command,
  generate as unknown as Command,
  edit as unknown as Command,
  describe as unknown as Command,
  chat as unknown as Command,
  serve as unknown as Command,
  evalCommand as unknown as Command,
  evalCompare as unknown as Command,
  evalRescore as unknown as Command,
];
