import { BACKGROUND_NAMES, COLOR_NAMES } from '../catalog/colors.ts';
import { STYLE_IDS, STYLES } from '../catalog/emoji-styles.ts';
import { en } from '../caption/lexicons/en.ts';
import { objectWords, type ConceptNames } from '../caption/object-names.ts';
import type { Random } from '../random.ts';
import type { Scene, SceneObject } from '../scene/scene.ts';
import type { SceneSampler } from '../scene/sampler.ts';
import { WORDS } from '../catalog/words.ts';

/** A source scene, an instruction, and the target scene that follows it exactly. */
export interface EditPair {
  kind: 'replace' | 'recolor' | 'add' | 'remove' | 'move' | 'swap' | 'background' | 'text';
  source: Scene;
  target: Scene;
  instruction: string;
}

function name(o: SceneObject, names: ConceptNames, rng: Random): string {
  return en.object(objectWords(o, 'en', names, rng), 0);
}

/** "the cat" or, in a grid, "the cat in row 2, column 3": specific enough to find one object. */
function reference(scene: Scene, o: SceneObject, names: ConceptNames, rng: Random): string {
  const phrase = name(o, names, rng).replace(/^(a|an) /, 'the ');
  const ref = /^the /.test(phrase) ? phrase : `the ${phrase}`;
  return o.cell ? `${ref} in row ${o.cell.row + 1}, column ${o.cell.col + 1}` : ref;
}

const withObjects = (scene: Scene, objects: SceneObject[]): Scene => ({ ...scene, objects });

/**
 * One edit of a scene. Every edit but "background" changes one object's box (or two, for a swap),
 * so the pixels outside those boxes are identical between source and target.
 */
export function sampleEdit(rng: Random, scene: Scene, sampler: SceneSampler, names: ConceptNames): EditPair {
  const objects = scene.objects;
  const i = rng.int(0, objects.length - 1);
  const o = objects[i];
  const kinds: EditPair['kind'][] = ['replace', 'recolor', 'background'];
  if (scene.layout.kind === 'grid') kinds.push('add', 'remove', 'move', 'swap');
  if (o.kind === 'text') kinds.push('text', 'text');
  const kind = rng.pick(kinds);
  const visible = COLOR_NAMES.filter((c) => c !== scene.background && c !== o.color);
  switch (kind) {
    case 'replace': {
      const replacement = { ...sampler.object(rng, scene.background, scene.style), box: o.box, cell: o.cell } as SceneObject;
      const verb = rng.pick(['replace', 'swap out', 'change']);
      const instruction = verb === 'change' ? `change ${reference(scene, o, names, rng)} into ${name(replacement, names, rng)}` : `${verb} ${reference(scene, o, names, rng)} with ${name(replacement, names, rng)}`;
      return { kind, source: scene, target: withObjects(scene, objects.map((x, k) => (k === i ? replacement : x))), instruction };
    }
    case 'recolor': {
      const color = rng.pick(visible);
      const recolored = { ...o, color, color2: undefined, pattern: o.kind === 'emoji' ? undefined : 'solid' } as SceneObject;
      const instruction = rng.pick([`make ${reference(scene, o, names, rng)} ${color}`, `recolor ${reference(scene, o, names, rng)} ${color}`, `change the color of ${reference(scene, o, names, rng)} to ${color}`]);
      return { kind, source: scene, target: withObjects(scene, objects.map((x, k) => (k === i ? recolored : x))), instruction };
    }
    case 'background': {
      const background = rng.pick(BACKGROUND_NAMES.filter((b) => b !== scene.background && !objects.some((x) => x.color === b)));
      return { kind, source: scene, target: { ...scene, background }, instruction: rng.pick([`change the background to ${background}`, `make the background ${background}`]) };
    }
    case 'text': {
      const text = o as Extract<SceneObject, { kind: 'text' }>;
      const word = rng.pick(WORDS[text.script].filter((w) => w !== text.text));
      return { kind, source: scene, target: withObjects(scene, objects.map((x, k) => (k === i ? { ...text, text: word } : x))), instruction: `change the text "${text.text}" to "${word}"` };
    }
    case 'remove':
    case 'add': {
      // An add is a remove played backwards: the source lacks the object the target has.
      const without = withObjects(scene, objects.filter((_, k) => k !== i));
      if (kind === 'remove') return { kind, source: scene, target: without, instruction: `remove ${reference(scene, o, names, rng)}` };
      const where = `row ${o.cell!.row + 1}, column ${o.cell!.col + 1}`;
      return { kind, source: without, target: scene, instruction: `add ${name(o, names, rng)} in ${where}` };
    }
    case 'move': {
      // Move into the cell of the object removed, so that exactly two cells change.
      const layout = scene.layout as { rows: number; cols: number };
      const j = (i + 1 + rng.int(0, objects.length - 2)) % objects.length;
      const free = objects[j].cell!;
      const source = withObjects(scene, objects.filter((_, k) => k !== j));
      const moved = { ...o, cell: free, box: sampler.cellBox(free, layout.rows, layout.cols) } as SceneObject;
      const target = withObjects(scene, objects.filter((_, k) => k !== j).map((x) => (x === o ? moved : x)));
      return { kind, source, target, instruction: `move ${reference(source, o, names, rng)} to row ${free.row + 1}, column ${free.col + 1}` };
    }
    case 'swap': {
      const j = (i + 1 + rng.int(0, objects.length - 2)) % objects.length;
      const b = objects[j];
      const target = withObjects(scene, objects.map((x, k) => (k === i ? { ...b, cell: o.cell, box: o.box } : k === j ? { ...o, cell: b.cell, box: b.box } : x)) as SceneObject[]);
      return { kind, source: scene, target, instruction: `swap ${reference(scene, o, names, rng)} and ${reference(scene, b, names, rng)}` };
    }
  }
}

/** The same scene drawn in another emoji style. */
export function sampleRestyle(rng: Random, scene: Scene, styles = STYLE_IDS): { target: Scene; instruction: string; style: string } {
  const style = rng.pick(styles.filter((s) => s !== scene.style));
  const display = STYLES[style].displayName;
  const instruction = rng.pick([`redraw this in ${display} style`, `restyle this image as ${display}`, `make it ${display} style`, `same picture, ${display} emoji`]);
  return { target: { ...scene, style }, instruction, style };
}
