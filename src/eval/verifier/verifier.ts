import type { AccessoryId } from '../../world/catalog/accessories.ts';
import type { ColorName } from '../../world/catalog/colors.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { FIXED_COLOR_PATTERNS, type PatternName } from '../../world/catalog/patterns.ts';
import type { Box, Scene, SceneObject } from '../../world/scene/scene.ts';
import { classifyFeatures, DEFAULT_SCORING, type Hints, type Identity, type Scoring } from './classifier.ts';
import { colorsMatch, dominantColors, type ColorShare } from './color-names.ts';
import { extractFeatures } from './features.ts';
import { estimateBackground, luminance, type Background, type Rgba } from './image.ts';
import { buildPatternBank, classifyPattern, patternDescriptor, type PatternBank } from './pattern.ts';
import { DEFAULT_BANK, loadOrBuildBank, type BankOptions, type ReferenceBank } from './reference-bank.ts';

export interface VerifierOptions {
  bank?: Partial<BankOptions>;
  scoring?: Partial<Scoring>;
  /** Progress lines (the first build of the bank takes about a minute). */
  log?: (line: string) => void;
}

/** What one crop shows. */
export interface CellReading extends Identity {
  /** Named colors of its solid pixels, most common first. */
  colors: ColorShare[];
  /** The most common color. */
  color?: ColorName;
  pattern?: PatternName;
  /** For text: the word read. */
  text?: string;
}

/** One attribute checked: the answer and what was expected and read. */
export interface AttributeCheck<T = string> {
  ok: boolean;
  expected: T;
  read: T | undefined;
}

export interface ObjectVerdict {
  /** Identity and every attribute the expected object names are right. */
  correct: boolean;
  /** What it is: right kind and right concept, shape or text. */
  concept: boolean;
  kind: boolean;
  expected: { kind: SceneObject['kind']; label: string };
  /** Emoji: the expected style (the object's own, else the scene's). */
  style?: AttributeCheck<StyleId>;
  /** When a color is named (and the pattern does not fix the colors). */
  color?: AttributeCheck<string>;
  /** Shapes and text always (solid when unnamed); emoji when a pattern is named. */
  pattern?: AttributeCheck<PatternName>;
  accessory?: AttributeCheck<AccessoryId>;
  read: CellReading;
}

export interface SceneVerdict {
  objects: ObjectVerdict[];
  /** Objects entirely right. */
  correct: number;
  /** Objects whose identity is right. */
  concepts: number;
  total: number;
}

/**
 * The independent verifier: reads what a generated image shows in each box of its intended layout,
 * with fixed features matched against references rendered from the world (see README.md).
 *
 * @example
 * const verifier = await Verifier.create();
 * const verdict = verifier.checkScene(canvasPixels(canvas), scene);
 * console.log(`${verdict.concepts}/${verdict.total} objects are what they should be`);
 */
export class Verifier {
  private readonly backgrounds = new WeakMap<Rgba, Background>();

  private constructor(
    readonly bank: ReferenceBank,
    private readonly patterns: PatternBank,
    private readonly scoring: Scoring,
  ) {}

  static async create(options: VerifierOptions = {}): Promise<Verifier> {
    const bank = await loadOrBuildBank({ ...DEFAULT_BANK, ...options.bank }, options.log);
    return new Verifier(bank, await buildPatternBank(), { ...DEFAULT_SCORING, ...options.scoring });
  }

  /** Reads the crop at `box` (fractions of the image). Hints say how it is painted, when known. */
  classifyCell(pixels: Rgba, box: Box, hints: Hints = {}): CellReading {
    const bg = this.background(pixels);
    const identity = classifyFeatures(this.bank, extractFeatures(pixels, box, bg), luminance(...bg.color) < 80, hints, this.scoring);
    if (identity.kind === 'empty') return { ...identity, colors: [] };
    const colors = dominantColors(pixels, box, bg);
    return {
      ...identity,
      colors,
      ...(colors.length ? { color: colors[0].color } : {}),
      pattern: classifyPattern(this.patterns, patternDescriptor(pixels, box, bg)),
      ...(identity.kind === 'text' ? { text: identity.label } : {}),
    };
  }

  /** Whether the crop at `box` shows `expected`. `sceneStyle` is the style of emoji that name none. */
  checkObject(pixels: Rgba, box: Box, expected: SceneObject, sceneStyle?: StyleId): ObjectVerdict {
    const read = this.classifyCell(pixels, box, hintsFor(expected));
    const label = expectedLabel(expected);
    const kind = read.kind === expected.kind;
    const concept = kind && read.label === label;
    const verdict: ObjectVerdict = { correct: false, concept, kind, expected: { kind: expected.kind, label }, read };
    const style = expected.kind === 'emoji' ? (expected.style ?? sceneStyle) : undefined;
    if (style) verdict.style = { ok: concept && read.style === style, expected: style, read: read.style };
    const pattern = expected.pattern ?? (expected.kind === 'emoji' ? undefined : 'solid');
    if (pattern) verdict.pattern = { ok: read.pattern === pattern, expected: pattern, read: read.pattern };
    if (expected.color && !(pattern && FIXED_COLOR_PATTERNS.includes(pattern))) {
      const want = [expected.color, expected.color2].filter(Boolean).join('+');
      const got = read.colors.slice(0, 3).map((c) => c.color).join('+');
      verdict.color = { ok: colorsMatch(read.colors, expected.color, expected.color2), expected: want, read: got };
    }
    if (expected.kind === 'emoji' && expected.accessory) {
      const want = expected.accessory.concept as AccessoryId;
      verdict.accessory = { ok: concept && read.accessory === want, expected: want, read: read.accessory };
    }
    verdict.correct = concept && [verdict.style, verdict.color, verdict.pattern, verdict.accessory].every((a) => !a || a.ok);
    return verdict;
  }

  checkScene(pixels: Rgba, scene: Scene): SceneVerdict {
    const objects = scene.objects.map((o) => this.checkObject(pixels, o.box, o, scene.style));
    return { objects, correct: objects.filter((o) => o.correct).length, concepts: objects.filter((o) => o.concept).length, total: objects.length };
  }

  private background(pixels: Rgba): Background {
    let bg = this.backgrounds.get(pixels);
    if (!bg) {
      bg = estimateBackground(pixels);
      this.backgrounds.set(pixels, bg);
    }
    return bg;
  }
}

export function expectedLabel(o: SceneObject): string {
  return o.kind === 'emoji' ? o.concept : o.kind === 'shape' ? o.shape : o.text;
}

/**
 * How the expected object is painted: which comparison to make. It favours no label (every candidate
 * is compared the same way); what is worn is left to the references to tell, so that it can be checked.
 */
export function hintsFor(o: SceneObject): Hints {
  if (o.pattern && o.pattern !== 'solid') return { paint: 'pattern', darkFill: o.pattern === 'rainbow' || o.color === 'black' || o.color2 === 'black' };
  if (o.kind !== 'emoji') return { paint: 'solid' };
  return { paint: o.color2 ? 'two-tone' : o.color ? 'solid' : 'original' };
}
