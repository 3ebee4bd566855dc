/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

/** The valid names nearest to `name`: prefix or substring matches first, then by edit distance. */
export function closestNames(name: string, valid: Iterable<string>, count = 3): string[] {
  const lower = name.toLowerCase();
  const scored = [...valid].map((candidate) => {
    const c = candidate.toLowerCase();
    const bonus = c.startsWith(lower) || lower.startsWith(c) ? -2 : c.includes(lower) ? -1 : 0;
    return { candidate, score: editDistance(lower, c) + bonus };
  });
  const limit = Math.max(2, Math.ceil(name.length / 2));
  return scored
    .filter((s) => s.score <= limit)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((s) => s.candidate);
}
