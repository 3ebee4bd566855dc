/** One case: the subject's engine call(s), then the task's scorer. */
import type { RgbaImage } from '../../engine/events.ts';
import { caseObjectKind, type ObjectKind } from '../report/object-kind.ts';
import { scoreAnswer } from '../score/score-answer.ts';
import { scoreCharacter } from '../score/score-character.ts';
import { scoreEdit } from '../score/score-edit.ts';
import { scoreImage } from '../score/score-image.ts';
import { scoreRestyle } from '../score/score-restyle.ts';
import type { Mark, Scored } from '../score/scored.ts';
import type { EvalCase, ImageCase } from '../suites/eval-case.ts';
import { codesToText } from './codes-text.ts';
import type { Verifier } from '../verifier/verifier.ts';
import { renderRgba } from './reference-subject.ts';
import type { Subject } from './subject.ts';

/** One case's outcome as report.json stores it. */
export interface CaseResult {
  id: string;
  suite: string;
  category: string;
  task: EvalCase['task'];
  /** The prompt, instruction, question, or the turns joined by " | ". */
  prompt: string;
  locale?: string;
  /** What a text→image case with one object asks for (report/object-kind.ts); absent otherwise and in reports before session 23. */
  objectKind?: ObjectKind;
  /** null where the case does not apply to the subject (speed of a reference). */
  score: number | null;
  pass: boolean;
  metrics: Record<string, number | null>;
  note: string;
  /** The subject's text reply (understanding). */
  reply?: string;
  /** Milliseconds the subject took (engine calls or renders), not the scoring. */
  ms: number;
  error?: string;
  /**
   * A text→image case's image as the subject made it, when it works in codes: its 16×16 codes, base64
   * of little-endian uint16 (codes-text.ts). A later verifier re-scores the report from them, without
   * the model (`tessera eval-rescore`). Absent in reports before session 28.
   */
  codes?: string;
}

/** A result plus what the contact sheet draws. */
export interface CaseRun {
  result: CaseResult;
  image?: RgbaImage;
  marks: Mark[];
}

export function promptOf(c: EvalCase): string {
  switch (c.task) {
    case 't2i':
    case 'speed':
      return c.prompt;
    case 'edit':
    case 'restyle':
      return c.instruction;
    case 'i2t':
      return c.question;
    case 'multiturn':
      return c.turns.map((t) => t.prompt).join(' | ');
  }
}

/** How a text→image case's image is scored: the verifier reads it against the case's scene. */
export function scoreGenerated(verifier: Verifier, image: RgbaImage, c: ImageCase): Scored {
  return scoreImage(verifier, image, c.scene, { judge: c.judge, relations: c.relations, style: c.namesStyle === false ? 'any' : undefined });
}

export async function runCase(c: EvalCase, subject: Subject, verifier: Verifier): Promise<CaseRun> {
  const kind = caseObjectKind(c);
  const base = { id: c.id, suite: c.suite, category: c.category, task: c.task, prompt: promptOf(c), ...(c.task === 't2i' ? { locale: c.locale } : {}), ...(kind ? { objectKind: kind } : {}) };
  const started = performance.now();
  let subjectMs = 0;
  /** Times the subject's part only. */
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work;
    } finally {
      subjectMs += performance.now() - t0;
    }
  };
  try {
    let scored: Scored;
    let image: RgbaImage | undefined;
    let reply: string | undefined;
    let codes: string | undefined;
    switch (c.task) {
      case 't2i': {
        const out = await timed(subject.generate(c));
        image = out.rgba;
        if (out.codes) codes = codesToText(out.codes);
        scored = scoreGenerated(verifier, image, c);
        break;
      }
      case 'edit':
      case 'restyle': {
        const source = await renderRgba(c.source);
        const out = await timed(subject.edit(c, source));
        image = out.rgba;
        if (c.task === 'restyle') scored = scoreRestyle(verifier, image, c);
        else scored = scoreEdit(verifier, { output: image, codes: out.codes, source, sourceCodes: await subject.encode?.(source) }, c);
        break;
      }
      case 'multiturn': {
        const outs = await timed(subject.converse(c));
        image = outs.at(-1)?.rgba;
        scored = scoreCharacter(verifier, outs.map((o) => o.rgba), c);
        break;
      }
      case 'i2t': {
        image = await renderRgba(c.scene);
        reply = await timed(subject.describe(c, image));
        scored = scoreAnswer(reply, c);
        break;
      }
      case 'speed': {
        if (!subject.speed) return { result: { ...base, score: null, pass: false, metrics: {}, note: `${subject.name} has no speed`, ms: 0 }, marks: [] };
        const { msPerImage, tokensPerSecond } = await timed(subject.speed(c));
        const note = `N=${c.n}: ${msPerImage.toFixed(0)} ms/image, ${tokensPerSecond.toFixed(0)} image tokens/s`;
        return { result: { ...base, score: null, pass: true, metrics: { msPerImage, tokensPerSecond }, note, ms: subjectMs }, marks: [] };
      }
    }
    const result: CaseResult = { ...base, score: scored.score, pass: scored.pass, metrics: scored.metrics, note: scored.note, ...(reply !== undefined ? { reply } : {}), ms: subjectMs, ...(codes ? { codes } : {}) };
    return { result, ...(image ? { image } : {}), marks: scored.marks };
  } catch (error) {
    // A case the subject cannot do (a prompt longer than its context) scores zero and says why.
    const message = (error as Error).message;
    return { result: { ...base, score: 0, pass: false, metrics: {}, note: `error: ${message}`, ms: performance.now() - started, error: message }, marks: [] };
  }
}
