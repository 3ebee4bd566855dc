import { closestNames } from '../util/closest.ts';

/** A problem with world input (a scene, a name, a flag) that the user can fix. */
export class WorldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorldError';
  }
}

/** Throws a WorldError naming the closest valid names when `name` is not one of `valid`. */
export function requireName(what: string, name: unknown, valid: Iterable<string>): void {
  const list = [...valid];
  if (typeof name === 'string' && list.includes(name)) return;
  const hint = typeof name === 'string' ? closestNames(name, list) : [];
  throw new WorldError(`unknown ${what} "${String(name)}"${hint.length ? `; did you mean ${hint.map((h) => `"${h}"`).join(', ')}?` : ''}`);
}
