import { type FlagSchema, type ParsedFlags, UserError } from './command.ts';
import { closestNames } from '../util/closest.ts';

/** Parses argv against a flag schema. Unknown flags are errors that suggest the closest known flag. */
export function parseArgs<S extends FlagSchema>(argv: string[], schema: S): { positionals: string[]; flags: ParsedFlags<S> } {
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) if (spec.default !== undefined) flags[name] = spec.default;
  const byShort = new Map(Object.entries(schema).filter(([, s]) => s.short).map(([n, s]) => [s.short!, n]));
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    let key = arg.startsWith('--') ? name : (byShort.get(name) ?? name);
    let negate = false;
    if (!(key in schema) && key.startsWith('no-') && schema[key.slice(3)]?.type === 'boolean') {
      key = key.slice(3);
      negate = true;
    }
    const spec = schema[key];
    if (!spec) {
      const hint = closestNames(key, Object.keys(schema));
      throw new UserError(`unknown flag --${key}${hint.length ? ` (did you mean ${hint.map((h) => `--${h}`).join(', ')}?)` : ''}`);
    }
    if (spec.type === 'boolean') {
      flags[key] = inline === undefined ? !negate : !['false', '0', 'no'].includes(inline);
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UserError(`flag --${key} needs a value`);
    if (spec.type === 'number') {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new UserError(`flag --${key} expects a number, got "${raw}"`);
      flags[key] = value;
    } else {
      flags[key] = raw;
    }
  }
  return { positionals, flags: flags as ParsedFlags<S> };
}
