import type { WorldConfig, WorldPreset } from '../scene/world-config.ts';

/** What `tessera world build` needs; workers receive it as is. */
export interface BuildOptions {
  samples: number;
  seed: number;
  size: number;
  outDir: string;
  perShard: number;
  /** A preset name, or a whole config (benchmarks use their own). */
  preset: WorldPreset | WorldConfig;
  /** Path of a tokenizer.json: when given, every episode also carries its token pieces. */
  tokenizer?: string;
  /** Worker threads; 0 builds in this thread. */
  workers: number;
}
