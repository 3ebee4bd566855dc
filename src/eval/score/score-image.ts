/**
 * Text -> image scoring with the verifier. Where the layout fixes positions (grids) each cell is read
 * at its box; where the prompt leaves them free (single, counting, position) objects are found first
 * (detect.ts) and then read.
 */
import { relationOf } from '../../world/caption/describe-scene.ts';
import type { Box, Scene, SceneObject } from '../../world/scene/scene.ts';
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

export function scoreImage(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge = 'all', relations = true): SceneScore {
  switch (scene.layout.kind) {
    case 'grid':
      return scoreCells(verifier, pixels, scene, judge);
    case 'single':
      return scoreSingle(verifier, pixels, scene, judge);
    case 'count':
      return scoreCount(verifier, pixels, scene);
    case 'free':
      return scorePlacement(verifier, pixels, scene, judge, relations);
  }
}

function scoreCells(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge): SceneScore {
  const objects = scene.objects.map((o) => verifier.checkObject(pixels, o.box, o, scene.style));
  const right = objects.map((v) => isRight(v, judge));
  const wrong = objects.filter((_, i) => !right[i]).slice(0, 3).map((v) => `${v.expected.label}≠${label(v)}`);
  return {
    score: mean(right.map(Number)),
    pass: right.every(Boolean),
    metrics: { cells: mean(right.map(Number)), identity: mean(objects.map((v) => Number(v.concept))) },
    marks: scene.objects.map((o, i) => ({ box: o.box, ok: right[i] })),
    note: `${right.filter(Boolean).length}/${right.length} cells${wrong.length ? `; ${wrong.join(', ')}` : ''}`,
    objects,
  };
}

function scoreSingle(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge): SceneScore {
  const box = foregroundBox(pixels);
  const object = scene.objects[0];
  if (!box) return { score: 0, pass: false, metrics: { identity: 0 }, marks: [], note: 'nothing drawn', objects: [undefined] };
  const verdict = verifier.checkObject(pixels, box, object, scene.style);
  const ok = isRight(verdict, judge);
  return { score: Number(ok), pass: ok, metrics: { identity: Number(verdict.concept) }, marks: [{ box, ok }], note: `read ${label(verdict)}`, objects: [verdict] };
}

/** GenEval's rule: right when exactly `count` objects are found and each is the thing asked for. */
function scoreCount(verifier: Verifier, pixels: Rgba, scene: Scene): SceneScore {
  const want = scene.objects.length;
  const boxes = detectObjects(pixels);
  const verdicts = boxes.map((box) => verifier.checkObject(pixels, box, scene.objects[0], scene.style));
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
function scorePlacement(verifier: Verifier, pixels: Rgba, scene: Scene, judge: Judge, scoreRelations: boolean): SceneScore {
  const boxes = detectObjects(pixels);
  const taken = new Set<number>();
  const found: { box: Box; verdict: ObjectVerdict }[] = [];
  const objects: (ObjectVerdict | undefined)[] = scene.objects.map((o) => {
    for (let i = 0; i < boxes.length; i++) {
      if (taken.has(i)) continue;
      const verdict = verifier.checkObject(pixels, boxes[i], o, scene.style);
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
    const moved = (x: SceneObject, box: Box) => ({ ...x, box }) as SceneObject;
    return relationOf(moved(o, at(k + 1).box), moved(scene.objects[k], at(k).box)) === relationOf(o, scene.objects[k]);
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
