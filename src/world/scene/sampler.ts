import { BACKGROUND_NAMES, COLOR_NAMES, type ColorName } from '../catalog/colors.ts';
import { ACCESSORY_IDS } from '../catalog/accessories.ts';
import { vocabulary } from '../catalog/core-vocabulary.ts';
import type { Concept } from '../catalog/concepts.ts';
import type { StyleId } from '../catalog/emoji-styles.ts';
import { FACES_FOR_SCRIPT, type Script } from '../catalog/fonts.ts';
import { FIXED_COLOR_PATTERNS, PATTERN_NAMES, TWO_COLOR_PATTERNS, type PatternName } from '../catalog/patterns.ts';
import { SHAPE_NAMES } from '../catalog/shapes.ts';
import { NUMBERS, WORDS } from '../catalog/words.ts';
import type { Random } from '../random.ts';
import { cellBox, snapBox, type Box, type Cell, type Scene, type SceneObject } from './scene.ts';
import type { WorldConfig } from './world-config.ts';

/** Subgroups whose emoji have a head to wear a hat or glasses. */
export const WEARERS: ReadonlySet<string> = new Set(['animal-mammal', 'animal-bird', 'animal-reptile', 'animal-amphibian', 'cat-face', 'monkey-face', 'face-smiling', 'face-affection']);

/** What an object is, before it is placed: everything but its box and cell. */
export type ObjectSpec = SceneObject extends infer O ? (O extends SceneObject ? Omit<O, 'box' | 'cell'> : never) : never;

/** What one style draws: its concepts (and their ids, for lookups), and those that can wear an accessory. */
interface StyleConcepts {
  concepts: Concept[];
  ids: Set<string>;
  wearers: Concept[];
}

export class SceneSampler {
  private readonly concepts: Concept[];
  /** The concepts, and those that can wear an accessory, each style draws (not all draw every one). */
  private readonly byStyle: Map<StyleId, StyleConcepts>;

  constructor(readonly config: WorldConfig) {
    this.concepts = vocabulary(config.vocabulary).filter((c) => config.styles.some((s) => c.styles.includes(s)));
    this.byStyle = new Map(
      config.styles.map((style) => {
        const concepts = this.concepts.filter((c) => c.styles.includes(style));
        return [style, { concepts, ids: new Set(concepts.map((c) => c.id)), wearers: concepts.filter((c) => WEARERS.has(c.subgroup)) }];
      }),
    );
  }

  get conceptIds(): string[] {
    return this.concepts.map((c) => c.id);
  }

  /** The configured styles that draw every emoji of `scene` (where it can be restyled to). */
  stylesDrawing(scene: Scene): StyleId[] {
    const emoji = scene.objects.flatMap((o) => (o.kind === 'emoji' ? [o.concept] : []));
    return this.config.styles.filter((style) => {
      const { ids } = this.inStyle(style);
      return emoji.every((id) => ids.has(id));
    });
  }

  private inStyle(style: StyleId): StyleConcepts {
    const found = this.byStyle.get(style);
    if (!found) throw new Error(`the world is not configured to draw the ${style} style`);
    return found;
  }

  scene(rng: Random, size = 128): Scene {
    const c = this.config;
    const layout = rng.weighted([
      ['single', c.layouts.single],
      ['grid', c.layouts.grid],
      ['free', c.layouts.free],
      ['count', c.layouts.count],
    ] as const);
    const background = rng.chance(c.coloredBackground) ? rng.pick(BACKGROUND_NAMES.filter((b) => b !== 'white')) : 'white';
    const style = rng.pick(c.styles);
    const base = { size, background, style } as const;
    switch (layout) {
      case 'single':
        return { ...base, layout: { kind: 'single' }, objects: [{ ...this.object(rng, background, style), box: this.place(singleBox(rng), 'nearest') } as SceneObject] };
      case 'grid': {
        const [rows, cols] = rng.weighted(c.grids.map(([r, k, w]) => [[r, k], w] as const));
        return this.grid(rng, base, rows, cols);
      }
      case 'free':
        return { ...base, layout: { kind: 'free' }, objects: this.freePlacement(rng, background, style) };
      case 'count': {
        const count = rng.int(1, c.maxCount);
        const spec = this.object(rng, background, style);
        return { ...base, layout: { kind: 'count', count }, objects: this.scatter(rng, count).map((box) => ({ ...spec, box }) as SceneObject) };
      }
    }
  }

  grid(rng: Random, base: Pick<Scene, 'size' | 'background' | 'style'>, rows: number, cols: number): Scene {
    const objects: SceneObject[] = [];
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        const cell = { row, col };
        objects.push({ ...this.object(rng, base.background, base.style), cell, box: this.cellBox(cell, rows, cols) } as SceneObject);
      }
    }
    return { ...base, layout: { kind: 'grid', rows, cols }, objects };
  }

  /** `box` as this world places boxes: on its lattice when `alignTo` is set (`snapBox`). */
  place(box: Box, mode: 'inward' | 'nearest' = 'inward'): Box {
    return this.config.alignTo > 0 ? snapBox(box, this.config.alignTo, mode) : box;
  }

  /** A grid cell's box, placed. */
  cellBox(cell: Cell, rows: number, cols: number): Box {
    return this.place(cellBox(cell, rows, cols));
  }

  /** `scatter`'s boxes, placed (inward, so they still never overlap). */
  scatter(rng: Random, count: number, minSide?: number, maxSide?: number): Box[] {
    return scatter(rng, count, minSide, maxSide).map((box) => this.place(box));
  }

  /** One object with its attributes, avoiding a fill color equal to the background; an emoji one `style` draws. */
  object(rng: Random, background: string, style: StyleId): ObjectSpec {
    const c = this.config;
    const kind = rng.weighted([
      ['emoji', c.objectKinds.emoji],
      ['shape', c.objectKinds.shape],
      ['text', c.objectKinds.text],
    ] as const);
    const visible = COLOR_NAMES.filter((name) => name !== background && !(background === 'black' && name === 'black'));
    if (kind === 'emoji') return this.emoji(rng, style, visible);
    const fill = this.fill(rng, visible);
    if (kind === 'shape') return { kind: 'shape', shape: rng.pick(SHAPE_NAMES), ...fill };
    const script = rng.weighted(Object.entries(c.scripts) as [Script, number][]);
    const text = rng.chance(0.25) ? rng.pick(NUMBERS) : rng.pick(WORDS[script]);
    const face = rng.pick(FACES_FOR_SCRIPT[script]);
    return { kind: 'text', text, script, face, ...fill };
  }

  /** An emoji that `style` draws, with its paint and accessory. */
  emoji(rng: Random, style: StyleId, colors: readonly ColorName[] = COLOR_NAMES, concept?: string): ObjectSpec {
    const a = this.config.emojiAttributes;
    const { concepts, wearers } = this.inStyle(style);
    const wear = rng.chance(a.accessory) && wearers.length > 0;
    const chosen = concept ?? (wear ? rng.pick(wearers) : rng.pick(concepts)).id;
    const spec: ObjectSpec = { kind: 'emoji', concept: chosen };
    const r = rng.next();
    if (r < a.recolor) {
      spec.color = rng.pick(colors);
      if (rng.chance(0.4)) spec.color2 = rng.pick(COLOR_NAMES.filter((n) => n !== spec.color));
    } else if (r < a.recolor + a.pattern) {
      Object.assign(spec, this.patternFill(rng, colors));
    }
    if (wear) spec.accessory = { concept: rng.pick(ACCESSORY_IDS), ...(rng.chance(0.5) ? { color: rng.pick(COLOR_NAMES) } : {}) };
    return spec;
  }

  private fill(rng: Random, colors: readonly ColorName[]): { color?: ColorName; color2?: ColorName; pattern?: PatternName } {
    if (rng.chance(this.config.fillPattern)) return this.patternFill(rng, colors);
    return { color: rng.pick(colors) };
  }

  private patternFill(rng: Random, colors: readonly ColorName[]): { color?: ColorName; color2?: ColorName; pattern: PatternName } {
    const pattern = rng.pick(PATTERN_NAMES.filter((p) => p !== 'solid'));
    if (FIXED_COLOR_PATTERNS.includes(pattern)) return { pattern };
    const color = rng.pick(colors);
    if (!TWO_COLOR_PATTERNS.includes(pattern)) return { pattern, color };
    return { pattern, color, color2: rng.pick(COLOR_NAMES.filter((n) => n !== color)) };
  }

  /** Two to four objects at distinct places, far enough apart that "left of" and "above" are clear. */
  private freePlacement(rng: Random, background: string, style: StyleId): SceneObject[] {
    const count = rng.int(2, 4);
    return this.scatter(rng, count, 0.28, 0.45).map((box) => ({ ...this.object(rng, background, style), box }) as SceneObject);
  }
}

/** A single object's box: large, medium or small, roughly centered. */
function singleBox(rng: Random): Box {
  const side = rng.weighted([
    [0.8, 5],
    [0.55, 2],
    [0.3, 1],
  ] as const);
  const slack = 1 - side;
  return { x: slack / 2 + rng.range(-slack, slack) * 0.25, y: slack / 2 + rng.range(-slack, slack) * 0.25, w: side, h: side };
}

/**
 * Non-overlapping square boxes: a jittered grid of slots, `count` of them chosen. Sizes shrink as
 * counts grow, so eight copies still fit.
 */
function scatter(rng: Random, count: number, minSide = 0.18, maxSide = 0.3): Box[] {
  const slotsPerSide = count <= 1 ? 1 : count <= 4 ? 2 : 3;
  const slot = 1 / slotsPerSide;
  const slots = rng.sample(
    Array.from({ length: slotsPerSide * slotsPerSide }, (_, i) => i),
    count,
  );
  return slots.map((i) => {
    const side = Math.min(slot * 0.9, rng.range(minSide, maxSide) * (count === 1 ? 2.2 : 1));
    const x = (i % slotsPerSide) * slot + rng.range(0.02, slot - side - 0.02 > 0.02 ? slot - side - 0.02 : 0.03);
    const y = Math.floor(i / slotsPerSide) * slot + rng.range(0.02, slot - side - 0.02 > 0.02 ? slot - side - 0.02 : 0.03);
    return { x, y, w: side, h: side };
  });
}
