/**
 * A CLI command is a typed flag schema plus a run function; help text and parsing both derive
 * from the schema, so they cannot drift apart.
 */
export type FlagType = 'string' | 'number' | 'boolean';

export interface FlagSpec {
  type: FlagType;
  description: string;
  default?: string | number | boolean;
  /** One-letter alias, e.g. `o` for `--out`. */
  short?: string;
}

export type FlagSchema = Record<string, FlagSpec>;

type FlagValue<S extends FlagSpec> = S['type'] extends 'number' ? number : S['type'] extends 'boolean' ? boolean : string;

export type ParsedFlags<S extends FlagSchema> = { [K in keyof S]: S[K] extends { default: unknown } ? FlagValue<S[K]> : FlagValue<S[K]> | undefined };

export interface Command<S extends FlagSchema = FlagSchema> {
  /** Space-separated path, e.g. `world build`. */
  name: string;
  summary: string;
  /** Positional arguments, for help text, e.g. `<image> <instruction>`. */
  usage?: string;
  flags: S;
  run(args: { positionals: string[]; flags: ParsedFlags<S> }): Promise<number | void>;
}

/** Identity helper that keeps the flag schema's literal types. */
export function defineCommand<S extends FlagSchema>(command: Command<S>): Command<S> {
  return command;
}

/** An error whose message is shown to the user as is, without a stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
