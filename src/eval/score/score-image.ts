/**
 * Text -> image scoring with the verifier. Where the layout fixes positions (grids) each cell is read
 * at its box; where the prompt leaves them free (single, counting, position) objects are found first
 * (detect.ts) and then read.
 */
import { relationOf } from '../../world/caption/describe-scene.ts';
import type { Relation } from '../../world/caption/lexicon.ts';
import type { StyleId } from '../../world/catalog/emoji-styles.ts';
import type { Box, Scene } from '../../world/scene/scene.ts';
import type { ImageCase } from '../suites/eval-case.ts';
import type { Rgba } from '../verifier/image.ts';
import type { ObjectVerdict, Verifier } from '../verifier/verifier.ts';
import { detectObjects, foregroundBox } from './detect.ts';
import { mean, type Scored } from './scored.ts';

/** 'all': identity and every named attribute must be right; 'identity': the thing itself (text: the word). */
export type Judge = NonNullable<ImageCase['judge']>;

export interface SceneScore extends Scored {
  /** Per scene object, its verdict where it was found. */
  objects: (ObjectVerdict | undefined)[];
}

const isRight = (v: ObjectVerdict | undefined, judge: Judge) => !!v && (judge === 'all' ? v.correct : v.concept);
const label = (v: ObjectVerdict) => `${v.read.kind}:${v.read.label}${v.read.color ? `/${v.read.color}` : ''}`;

export interface ImageJudging {
  /** What must be right (default 'all'). */
  judge?: Judge;
  /** Free placements: whether the caption's relations are scored too (default true). */
  relations?: boolean;
  /**
   * The style emoji that name none must be drawn in: the scene's (default), another (a conversation's
   * turn that must keep the style an earlier turn drew), or 'any' where the prompt names none. An
   * object's own style, which a prompt names, counts either way.
   */
  style?: StyleId | 'any';
}

export function scoreImage(verifier: Verifier, pixels: Rgba, scene: Scene, judging: ImageJudging = {}): SceneScore {
  const { judge = 'all', relations = true } = judging;
  const style = judging.style === 'any' ? undefined : (judging.style ?? scene.style);
  switch (scene.layout.kind) {
    case 'grid':
      return scoreCells(verifier, pixels, scene, judge, style);
    case 'single':
      return scoreSingle(verifier, pixels, scene, judge, style);
    case 'count':
      return scoreCount(verifier, pixels, scene, style);
    case 'free':
      return scorePlacement(verifier, pixels, scene, judge, relations, style);
  }
}

function scoreCells(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge, style: StyleId | undefined): SceneScore {
  const objects = scene.objects.map((o) => verifier.checkObject(pixels, o.box, o, style));
  const right = objects.map((v) => isRight(v, judge));
  const wrong = objects.filter((_, i) => !right[i]).slice(0, 3).map((v) => `${v.expected.label}≠${label(v)}`);
  return {
    score: mean(right.map(Number)),
    pass: right.every(Boolean),
    metrics: { cells: mean(right.map(Number)), identity: mean(objects.map((v) => Number(v.concept))), top5: mean(objects.map((v) => Number(v.top5))) },
    marks: scene.objects.map((o, i) => ({ box: o.box, ok: right[i] })),
    note: `${right.filter(Boolean).length}/${right.length} cells${wrong.length ? `; ${wrong.join(', ')}` : ''}`,
    objects,
  };
}

function scoreSingle(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge, style: StyleId | undefined): SceneScore {
  const box = foregroundBox(pixels);
  const object = scene.objects[0];
  if (!box) return { score: 0, pass: false, metrics: { identity: 0, top5: 0 }, marks: [], note: 'nothing drawn', objects: [undefined] };
  const verdict = verifier.checkObject(pixels, box, object, style);
  const ok = isRight(verdict, judge);
  return { score: Number(ok), pass: ok, metrics: { identity: Number(verdict.concept), top5: Number(verdict.top5) }, marks: [{ box, ok }], note: `read ${label(verdict)}`, objects: [verdict] };
}

/** GenEval's rule: right when exactly `count` objects are found and each is the thing asked for. */
function scoreCount(verifier: Verifier, pixels: Rgba, scene: Scene, style: StyleId | undefined): SceneScore {
  const want = scene.objects.length;
  const boxes = detectObjects(pixels);
  const verdicts = boxes.map((box) => verifier.checkObject(pixels, box, scene.objects[0], style));
  const matching = verdicts.filter((v) => v.concept).length;
  const ok = boxes.length === want && matching === want;
  return {
    score: Number(ok),
    pass: ok,
    metrics: { count: Number(boxes.length === want), identity: matching / Math.max(want, boxes.length) },
    marks: boxes.map((box, i) => ({ box, ok: verdicts[i].concept })),
    note: `found ${boxes.length} of ${want}, ${matching} of the right kind`,
    objects: scene.objects.map((_, i) => verdicts.filter((v) => v.concept)[i]),
  };
}

/**
 * Free placement: each object is looked for among the found ones (the first that reads as it), then
 * every relation the caption states (object i+1 against object i) must hold between the found boxes,
 * unless `scoreRelations` is off (GenEval's two-object and binding prompts ask only what is there).
 */
function scorePlacement(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge, scoreRelations: boolean, style: StyleId | undefined): SceneScore {
  const boxes = detectObjects(pixels);
  const taken = new Set<number>();
  const found: { box: Box; verdict: ObjectVerdict }[] = [];
  const objects: (ObjectVerdict | undefined)[] = scene.objects.map((o) => {
    for (let i = 0; i < boxes.length; i++) {
      if (taken.has(i)) continue;
      const verdict = verifier.checkObject(pixels, boxes[i], o, style);
      if (isRight(verdict, judge)) {
        taken.add(i);
        found.push({ box: boxes[i], verdict });
        return verdict;
      }
    }
    return undefined;
  });
  const at = (i: number) => found[objects.slice(0, i).filter(Boolean).length];
  const relations = scene.objects.slice(1).map((o, k) => {
    if (!objects[k + 1] || !objects[k]) return false;
    return relationsBetween(at(k + 1).box, at(k).box).has(relationOf(o, scene.objects[k]));
  });
  const foundShare = mean(objects.map((v) => Number(!!v)));
  const ok = objects.every(Boolean) && (!scoreRelations || relations.every(Boolean));
  return {
    score: Number(ok),
    pass: ok,
    metrics: { found: foundShare, relation: scoreRelations && relations.length ? mean(relations.map(Number)) : null },
    marks: found.map((f) => ({ box: f.box, ok })),
    note: `found ${objects.filter(Boolean).length}/${objects.length} among ${boxes.length}; relations ${relations.filter(Boolean).length}/${relations.length}`,
    objects,
  };
}

/** Share of the two boxes' sizes an offset must exceed before it counts (GenEval's POSITION_THRESHOLD). */
const POSITION_THRESHOLD = 0.1;

/**
 * Every relation of box `a` to box `b` that their geometry supports, by GenEval's rule: the centre
 * offset, shrunk on each axis by POSITION_THRESHOLD of the two boxes' extents there, names a side when
 * it holds over half the offset's length. A diagonal pair is both "left of" and "above"; the caption
 * names whichever axis its layout boxes favour, which drawn extents (tighter than the layout's boxes)
 * can tip by a pixel, so either is accepted; a pair on the wrong side of either axis is not.
 */
export function relationsBetween(a: Box, b: Box): Set<Relation> {
  const dx = a.x + a.w / 2 - (b.x + b.w / 2);
  const dy = a.y + a.h / 2 - (b.y + b.h / 2);
  const length = Math.hypot(dx, dy);
  const shrink = (d: number, extent: number) => Math.sign(d) * Math.max(0, Math.abs(d) - POSITION_THRESHOLD * extent);
  const rx = shrink(dx, a.w + b.w);
  const ry = shrink(dy, a.h + b.h);
  const out = new Set<Relation>();
  if (length === 0 || Math.max(Math.abs(rx), Math.abs(ry)) < 1e-3) return out;
  if (rx / length < -0.5) out.add('left of');
  if (rx / length > 0.5) out.add('right of');
  if (ry / length < -0.5) out.add('above');
  if (ry / length > 0.5) out.add('below');
  return out;
}
