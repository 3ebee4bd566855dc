import type { AccessoryId } from '../../world/catalog/accessories.ts';
import { COLORS, type ColorName } from '../../world/catalog/colors.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import { FIXED_COLOR_PATTERNS, type PatternName } from '../../world/catalog/patterns.ts';
import type { Box, Scene, SceneObject } from '../../world/scene/scene.ts';
import { classifyFeatures, DEFAULT_SCORING, type Hints, type Identity, type Scoring } from './classifier.ts';
import { colorsMatch, dominantColors, type ColorShare } from './color-names.ts';
import { extractFeatures } from './features.ts';
import { estimateBackground, faintPaintPage, lighterHalfVanishes, luminance, withThresholds, type Background, type Rgb, type Rgba } from './image.ts';
import { buildPatternBank, classifyFill, patternDescriptor, solidity, SOLID_FILL, type PatternBank } from './pattern.ts';
import { DEFAULT_BANK, loadOrBuildBank, type BankOptions, type ReferenceBank, type ReferenceCodec } from './reference-bank.ts';

export interface VerifierOptions {
  bank?: Partial<BankOptions>;
  scoring?: Partial<Scoring>;
  /** Progress lines (the first build of the bank takes about a minute). */
  log?: (line: string) => void;
  /**
   * What the images are: 'clean' renders, 'degraded' ones (through a codec such as the VQ: blurred),
   * or 'auto' (default): judged per image from its background noise. Each kind has its own bank.
   */
  images?: 'auto' | 'clean' | 'degraded';
  /**
   * The codec degraded images went through (the VQ round trip, `vqReferenceCodec`): the degraded
   * bank's references go through it too. Without it, halving and restoring stands in for a codec.
   */
  codec?: ReferenceCodec;
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
  /**
   * The expected kind and label are among the reading's five best distinct labels (`read.top`): a
   * softer identity that moves while a model's drawings are still too rough for `concept`.
   */
  top5: boolean;
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
    /** References as drawn, for clean images, and blurred, for degraded ones: whichever were loaded. */
    readonly banks: { sharp?: Banks; blurred?: Banks },
    private readonly options: VerifierOptions,
    private readonly scoring: Scoring,
  ) {}

  /** References loaded, over both banks. */
  get referenceCount(): number {
    return (this.banks.sharp?.references.refs.length ?? 0) + (this.banks.blurred?.references.refs.length ?? 0);
  }

  /** Loads (or builds, once) the banks its images need: 'clean' sharp, 'degraded' blurred, 'auto' both. */
  static async create(options: VerifierOptions = {}): Promise<Verifier> {
    const images = options.images ?? 'auto';
    const banks: Verifier['banks'] = {};
    if (images !== 'degraded') banks.sharp = await loadBanks(options, false);
    if (images !== 'clean') banks.blurred = await loadBanks(options, true);
    return new Verifier(banks, { ...options, images }, { ...DEFAULT_SCORING, ...options.scoring });
  }

  /** The same verifier, told what the images are (loading the bank that needs, if it lacks it). */
  async forImages(images: NonNullable<VerifierOptions['images']>): Promise<Verifier> {
    const banks = { ...this.banks };
    if (images !== 'degraded') banks.sharp ??= await loadBanks(this.options, false);
    if (images !== 'clean') banks.blurred ??= await loadBanks(this.options, true);
    return new Verifier(banks, { ...this.options, images }, this.scoring);
  }

  /** Reads the crop at `box` (fractions of the image). Hints say how it is painted, when known. */
  classifyCell(pixels: Rgba, box: Box, hints: Hints = {}): CellReading {
    return this.read(pixels, box, hints, this.background(pixels));
  }

  private read(pixels: Rgba, box: Box, hints: Hints, bg: Background): CellReading {
    const banks = (bg.degraded >= 0.5 ? this.banks.blurred : this.banks.sharp) ?? this.banks.sharp ?? this.banks.blurred!;
    const identity = classifyFeatures(banks.references, extractFeatures(pixels, box, bg), luminance(...bg.color) < 80, hints, this.scoring);
    if (identity.kind === 'empty') return { ...identity, colors: [] };
    // Shapes and words are one flat fill: their edges are blends of it with the background.
    const colors = dominantColors(pixels, box, bg, { fill: identity.kind === 'shape' || identity.kind === 'text' });
    // One color (with its antialiased edges) is solid; otherwise the texture says which pattern, when
    // there is enough of it to see (the strokes of small text are too thin).
    const pattern = solidity(pixels, box, bg) >= SOLID_FILL ? 'solid' : readPattern(banks.patterns, pixels, box, bg);
    return {
      ...identity,
      colors,
      ...(colors.length ? { color: colors[0].color } : {}),
      ...(pattern ? { pattern } : {}),
      ...(identity.kind === 'text' ? { text: identity.label } : {}),
    };
  }

  /** Whether the crop at `box` shows `expected`. `sceneStyle` is the style of emoji that name none. */
  checkObject(pixels: Rgba, box: Box, expected: SceneObject, sceneStyle?: StyleId): ObjectVerdict {
    // A paint close to the page (white on white) is looked for, not taken for holes in the object.
    const paints = [expected.color, expected.color2].filter((c): c is ColorName => !!c).map((c) => COLORS[c] as Rgb);
    const bg = faintPaintPage(this.background(pixels), paints);
    const style = expected.kind === 'emoji' ? (expected.style ?? sceneStyle) : undefined;
    const hints = hintsFor(expected);
    // The lighter half painted in the page's color (white on white): only the darker half is there to compare.
    if (hints.paint === 'two-tone' && lighterHalfVanishes(bg, paints[0], paints[1])) hints.paint = 'dark-half';
    const read = this.read(pixels, box, { ...hints, ...(style ? { style } : {}) }, bg);
    const label = expectedLabel(expected);
    const kind = read.kind === expected.kind;
    const concept = this.shows(read, expected);
    const top5 = concept || read.top.some((c) => c.kind === expected.kind && c.label === label);
    const verdict: ObjectVerdict = { correct: false, concept, top5, kind, expected: { kind: expected.kind, label }, read };
    if (style) verdict.style = { ok: concept && read.style === style, expected: style, read: read.style };
    const pattern = expected.pattern ?? (expected.kind === 'emoji' ? undefined : 'solid');
    if (pattern) verdict.pattern = { ok: read.pattern === pattern, expected: pattern, read: read.pattern };
    if (expected.color && !(pattern && FIXED_COLOR_PATTERNS.includes(pattern))) {
      const want = [expected.color, expected.color2].filter(Boolean).join('+');
      // Two colors blend where they meet (a gradient, a two-tone split, a stripe's border): read again
      // with the pair named, so that those pixels count for both rather than for a third color.
      const colors = expected.color2
        ? dominantColors(pixels, box, bg, {
            fill: read.kind !== 'emoji',
            pair: [expected.color, expected.color2],
            darkened: expected.kind === 'emoji' && !!pattern && pattern !== 'solid',
          })
        : read.colors;
      const got = colors.slice(0, 3).map((c) => c.color).join('+');
      verdict.color = { ok: colorsMatch(colors, expected.color, expected.color2), expected: want, read: got };
    }
    if (expected.kind === 'emoji' && expected.accessory) {
      const want = expected.accessory.concept as AccessoryId;
      verdict.accessory = { ok: concept && read.accessory === want, expected: want, read: read.accessory };
    }
    verdict.correct = concept && [verdict.style, verdict.color, verdict.pattern, verdict.accessory].every((a) => !a || a.ok);
    return verdict;
  }

  /** Whether a reading is the expected thing: its kind and label. */
  shows(read: Identity, expected: SceneObject): boolean {
    return read.kind === expected.kind && read.label === expectedLabel(expected);
  }

  checkScene(pixels: Rgba, scene: Scene): SceneVerdict {
    const objects = scene.objects.map((o) => this.checkObject(pixels, o.box, o, scene.style));
    return { objects, correct: objects.filter((o) => o.correct).length, concepts: objects.filter((o) => o.concept).length, total: objects.length };
  }

  private background(pixels: Rgba): Background {
    let bg = this.backgrounds.get(pixels);
    if (!bg) {
      bg = estimateBackground(pixels);
      if (this.options.images !== 'auto') bg = withThresholds(bg.color, bg.noise, this.options.images === 'degraded' ? 1 : 0);
      this.backgrounds.set(pixels, bg);
    }
    return bg;
  }
}

/** What one kind of image is compared with: the object references and the pattern references. */
export interface Banks {
  references: ReferenceBank;
  patterns: PatternBank;
}

async function loadBanks(options: VerifierOptions, blurred: boolean): Promise<Banks> {
  const references = await loadOrBuildBank({ ...DEFAULT_BANK, ...options.bank, blurred, ...(blurred && options.codec ? { codec: options.codec } : {}) }, options.log);
  return { references, patterns: await buildPatternBank(blurred) };
}

/** The pattern of a fill that is not solid: by its interior and by all its solid pixels together (pattern.ts classifyFill). */
function readPattern(bank: PatternBank, pixels: Rgba, box: Box, bg: Background): PatternName | undefined {
  return classifyFill(bank, patternDescriptor(pixels, box, bg), patternDescriptor(pixels, box, bg, true));
}

export function expectedLabel(o: SceneObject): string {
  return o.kind === 'emoji' ? o.concept : o.kind === 'shape' ? o.shape : o.text;
}

/**
 * How the expected object is painted: which comparison to make. It favours no label (every candidate
 * is compared the same way). Which accessory is worn is left to the references to tell, so that it can
 * be checked; only whether one is worn is said (a bare object is not read as a wearer under a hat).
 */
export function hintsFor(o: SceneObject): Hints {
  const worn = o.kind === 'emoji' && !!o.accessory;
  if (o.pattern && o.pattern !== 'solid') return { paint: 'pattern', darkFill: o.color === 'black' || o.color2 === 'black', worn };
  if (o.kind !== 'emoji') return { paint: 'solid', worn };
  return { paint: o.color2 ? 'two-tone' : o.color ? 'solid' : 'original', worn };
}
