/**
 * An image while it decodes: each `partial` event carries only the newly decoded pixel rows, which
 * are drawn onto a canvas at their height, so the picture fills in top to bottom as tokens arrive.
 * `data-rows` on the canvas says how far it got.
 */
import type { StreamEvent } from '../../server/chat/wire.ts';
import { fromBase64, h } from './dom.ts';

type Partial = Extract<StreamEvent, { type: 'partial' }>;

export class LiveImage {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  #caption: HTMLElement;

  constructor(label: string) {
    this.canvas = h('canvas', { class: 'live-canvas', role: 'img', 'aria-label': `${label}, drawing`, 'data-rows': 0 });
    this.#caption = h('figcaption', { class: 'image-caption' }, h('span', { class: 'chip muted' }, 'drawing…'));
    this.element = h('figure', { class: 'image-card live' }, h('div', { class: 'frame' }, this.canvas), this.#caption);
  }

  draw(event: Partial): void {
    const { canvas } = this;
    if (event.width > 0 && (canvas.width !== event.width || canvas.height !== event.height)) {
      canvas.width = event.width;
      canvas.height = event.height;
    }
    if (event.rgba && event.bandHeight > 0) {
      const band = new ImageData(fromBase64(event.rgba), event.width, event.bandHeight);
      canvas.getContext('2d')!.putImageData(band, 0, event.y);
    }
    canvas.dataset.rows = String(event.rows);
    canvas.style.setProperty('--done', String(event.rows / event.gridRows));
  }

  finish(score: number | null): void {
    this.#settle(score === null ? 'done' : `score ${score.toFixed(2)}`);
  }

  /** The run ended before this image did. */
  abandon(why: string): void {
    if (!this.element.classList.contains('finished')) this.#settle(why);
  }

  #settle(label: string): void {
    this.element.classList.add('finished');
    this.canvas.setAttribute('aria-label', this.canvas.getAttribute('aria-label')!.replace(/, drawing$/, ''));
    this.#caption.replaceChildren(h('span', { class: 'chip' }, label));
  }
}
