import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed npm package, or null when it is not installed. */
export function packageRoot(name: string): string | null {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

/** The project's own root folder (where package.json and models/ live), independent of the cwd. */
export const PROJECT_ROOT = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
