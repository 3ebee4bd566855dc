/**
 * Max-heap of (count, pair key) for BPE training, with lazy deletion: a pair whose count changes
 * is pushed again and the outdated entry is skipped when it surfaces (the caller checks the count).
 * Equal counts pop the smaller key first, which makes training deterministic.
 */
export class PairHeap {
  readonly #counts: number[] = [];
  readonly #keys: number[] = [];

  get size(): number {
    return this.#keys.length;
  }

  push(count: number, key: number): void {
    this.#counts.push(count);
    this.#keys.push(key);
    this.#up(this.#keys.length - 1);
  }

  /** The top entry, removed, or undefined when empty. */
  pop(): { count: number; key: number } | undefined {
    const counts = this.#counts;
    const keys = this.#keys;
    if (keys.length === 0) return undefined;
    const top = { count: counts[0], key: keys[0] };
    const lastCount = counts.pop()!;
    const lastKey = keys.pop()!;
    if (keys.length > 0) {
      counts[0] = lastCount;
      keys[0] = lastKey;
      this.#down(0);
    }
    return top;
  }

  #before(i: number, j: number): boolean {
    const ci = this.#counts[i];
    const cj = this.#counts[j];
    return ci > cj || (ci === cj && this.#keys[i] < this.#keys[j]);
  }

  #swap(i: number, j: number): void {
    const counts = this.#counts;
    const keys = this.#keys;
    [counts[i], counts[j]] = [counts[j], counts[i]];
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#keys.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) return;
      const right = left + 1;
      const child = right < n && this.#before(right, left) ? right : left;
      if (!this.#before(child, i)) return;
      this.#swap(i, child);
      i = child;
    }
  }
}
