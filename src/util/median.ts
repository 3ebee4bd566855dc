/** The median of timing samples: for an even count the upper of the two middle values (a sample that was measured, not an average). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
