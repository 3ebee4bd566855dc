/** Which samples go in which shard: contiguous index ranges, so a shard's bytes depend on its index alone. */
export interface ShardJob {
  shard: number;
  start: number;
  end: number;
  path: string;
}

export function shardName(shard: number): string {
  return `shard-${String(shard).padStart(6, '0')}.tar`;
}

export function planShards(samples: number, perShard: number, outDir: string): ShardJob[] {
  const jobs: ShardJob[] = [];
  for (let start = 0, shard = 0; start < samples; start += perShard, shard++) {
    jobs.push({ shard, start, end: Math.min(samples, start + perShard), path: `${outDir}/${shardName(shard)}` });
  }
  return jobs;
}
