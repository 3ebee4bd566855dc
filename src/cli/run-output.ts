/**
 * Engine runs on a terminal: progress on stderr, images saved as they arrive (best first), results
 * printed as paths or as JSON. Shared by generate and edit; chat and describe use the progress bar.
 */
import type { GenerateEvent } from '../engine/index.ts';
import type { ProgressEvent } from '../engine/events.ts';
import { writeImageFile } from './image-files.ts';
import { asUserError } from './load-model.ts';
import { ProgressBar } from './progress.ts';

/** A ProgressBar fed by a run's progress events, created on the first one (whose total it takes). */
export function runProgress(label: string, unit = 'tokens'): { update(event: ProgressEvent): void; finish(): void } {
  let bar: ProgressBar | undefined;
  return {
    update(event) {
      bar ??= new ProgressBar(label, event.total, unit);
      bar.update(event.done);
    },
    finish() {
      bar?.finish();
      bar = undefined;
    },
  };
}

export interface SavedImage {
  path: string;
  /** The candidate's slot in the batch. */
  index: number;
  /** Best-of-N score (mean log-probability of the prompt given the image), when ranked. */
  score?: number;
}

/** Consumes an image run, writing its images to `paths` in order (best first). */
export async function saveImages(run: AsyncIterable<GenerateEvent>, paths: readonly string[], label: string): Promise<SavedImage[]> {
  const progress = runProgress(label);
  const saved: SavedImage[] = [];
  try {
    for await (const event of run) {
      if (event.type === 'progress') progress.update(event);
      if (event.type !== 'image') continue;
      const path = paths[saved.length];
      await writeImageFile(event.rgba!, path);
      saved.push({ path, index: event.index, ...(event.score !== undefined ? { score: event.score } : {}) });
    }
    return saved;
  } catch (error) {
    throw asUserError(error);
  } finally {
    progress.finish();
  }
}

/** Paths one per line, or the JSON result. */
export function printResult(saved: readonly SavedImage[], json: boolean | undefined, result: object): void {
  if (json) console.log(JSON.stringify({ ...result, images: saved }, null, 2));
  else for (const { path } of saved) console.log(path);
}
