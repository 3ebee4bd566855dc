import type { Canvas } from '@napi-rs/canvas';

/**
 * Painted objects, ready to blit: the same emoji at the same size in the same colors recurs across
 * thousands of scenes, so painting each once is most of the renderer's speed. Least recently used
 * entries go first.
 */
export class SpriteCache {
  private readonly sprites = new Map<string, Canvas>();

  constructor(private readonly capacity = 6000) {}

  async get(key: string, paint: () => Promise<Canvas> | Canvas): Promise<Canvas> {
    const hit = this.sprites.get(key);
    if (hit) {
      this.sprites.delete(key);
      this.sprites.set(key, hit);
      return hit;
    }
    const sprite = await paint();
    this.sprites.set(key, sprite);
    if (this.sprites.size > this.capacity) this.sprites.delete(this.sprites.keys().next().value!);
    return sprite;
  }
}
