/**
 * The conversation as DOM: user bubbles (text, attachments, the image an edit started from),
 * assistant replies (text, images, best-of-N pickers with scores), and the reply being written.
 */
import type { ImageView, MessageView, StreamEvent } from '../../server/chat/wire.ts';
import { api } from './api.ts';
import { h, icon, iconButton } from './dom.ts';
import { LiveImage } from './live-image.ts';

export interface ThreadActions {
  edit(image: ImageView): void;
  download(image: ImageView): void;
  choose(image: ImageView): void;
  regenerate(): void;
}

export interface MessageContext {
  /** The thread's last message (offers regenerate). */
  last: boolean;
  /** A reply is being written: actions that start one are disabled. */
  busy: boolean;
  /** Alt text for generated images: the prompt that asked for them. */
  prompt: string;
  actions: ThreadActions;
}

/** An <img> of a stored image (through the API key when one is set). */
export function storedImage(image: ImageView, alt: string, className = ''): HTMLElement {
  if (!image.url) return h('div', { class: `no-pixels ${className}`, role: 'img', 'aria-label': alt }, 'codes only');
  const img = h('img', { class: className, alt, width: image.width, height: image.height, decoding: 'async', 'data-image-id': image.id });
  const src = api.imageSrc(image);
  if (typeof src === 'string') img.src = src;
  else src.then((url) => (img.src = url)).catch(() => img.replaceWith(h('div', { class: `no-pixels ${className}` }, 'unavailable')));
  return img;
}

function imageCard(image: ImageView, ctx: MessageContext, picker: boolean): HTMLElement {
  const score = image.score === null ? null : h('span', { class: 'chip score', title: 'Best-of-N score: how readily the model reads the prompt back from the image (higher is better)', 'aria-label': `score ${image.score.toFixed(2)}` }, image.score.toFixed(2));
  const choose = picker
    ? image.chosen
      ? h('span', { class: 'chip chosen' }, icon('check'), 'Chosen')
      : h('button', { type: 'button', class: 'button small', disabled: ctx.busy, onclick: () => ctx.actions.choose(image) }, 'Use this')
    : null;
  const tools = image.url
    ? [iconButton('edit', 'Edit this image', () => ctx.actions.edit(image), { disabled: ctx.busy }), iconButton('download', 'Download', () => ctx.actions.download(image))]
    : [];
  return h(
    'figure',
    { class: `image-card${picker && image.chosen ? ' chosen' : ''}`, 'data-candidate': image.candidate },
    h('div', { class: 'frame' }, storedImage(image, ctx.prompt ? `Image for “${ctx.prompt}”` : 'Generated image'), score),
    h('figcaption', { class: 'image-caption' }, choose, h('span', { class: 'spacer' }), ...tools),
  );
}

/** Images of one message, by slot; a slot with several candidates becomes a picker, best first. */
function images(list: ImageView[], ctx: MessageContext): HTMLElement | null {
  const generated = list.filter((im) => im.kind === 'generated');
  if (!generated.length) return null;
  const slots = new Map<number, ImageView[]>();
  for (const im of generated) slots.set(im.slot, [...(slots.get(im.slot) ?? []), im]);
  const groups = [...slots.values()].map((group) => {
    if (group.length === 1) return imageCard(group[0], ctx, false);
    const ranked = [...group].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.candidate - b.candidate);
    return h('div', { class: 'candidates', role: 'group', 'aria-label': `${group.length} candidates${group[0].score === null ? '' : ', best first'}; choose one to continue with` }, ...ranked.map((im) => imageCard(im, ctx, true)));
  });
  return h('div', { class: 'images' }, ...groups);
}

export function renderMessage(message: MessageView, ctx: MessageContext, byId: Map<string, ImageView>): HTMLElement {
  if (message.role === 'user') {
    const source = message.editOf ? byId.get(message.editOf) : undefined;
    const uploads = message.images.filter((im) => im.kind === 'upload');
    const bubble = h(
      'div',
      { class: 'bubble' },
      message.editOf ? h('div', { class: 'edit-ref' }, source ? storedImage(source, 'The image being edited', 'thumb') : null, h('span', {}, message.images.some((im) => im.kind === 'mask') ? 'Edit (masked)' : 'Edit')) : null,
      uploads.length ? h('div', { class: 'attachments-view' }, ...uploads.map((im) => storedImage(im, 'Attached image', 'thumb'))) : null,
      message.text ? h('p', { class: 'text' }, message.text) : null,
    );
    const dangling = ctx.last && !ctx.busy;
    return h(
      'article',
      { class: 'message user', 'data-message-id': message.id },
      bubble,
      dangling ? h('div', { class: 'message-actions' }, h('span', { class: 'muted' }, 'No reply yet.'), h('button', { type: 'button', class: 'button small', onclick: ctx.actions.regenerate }, icon('refresh'), 'Reply')) : null,
    );
  }
  return h(
    'article',
    { class: 'message assistant', 'data-message-id': message.id },
    message.text ? h('p', { class: 'text' }, message.text) : null,
    images(message.images, ctx),
    ctx.last ? h('div', { class: 'message-actions' }, h('button', { type: 'button', class: 'button small ghost', disabled: ctx.busy, onclick: ctx.actions.regenerate }, icon('refresh'), 'Regenerate')) : null,
  );
}

/** The reply being written: text as it arrives, one live canvas per image (and candidate). */
export class PendingReply {
  readonly element: HTMLElement;
  readonly #text = h('p', { class: 'text' });
  readonly #images = h('div', { class: 'images' });
  readonly #progress = h('progress', { class: 'progress', max: 1, value: 0, 'aria-label': 'Reply progress' });
  readonly #live = new Map<string, LiveImage>();
  /** Partial events drawn (tests read this from the DOM as data-partials). */
  partials = 0;

  constructor(private readonly prompt: string) {
    this.element = h('article', { class: 'message assistant pending', 'aria-busy': 'true' }, this.#text, this.#images, this.#progress);
  }

  handle(event: StreamEvent): void {
    if (event.type === 'progress') {
      this.#progress.max = event.total;
      this.#progress.value = event.done;
    } else if (event.type === 'text') {
      this.#text.textContent += event.text;
    } else if (event.type === 'partial') {
      this.#image(event.slot, event.candidate).draw(event);
      this.element.dataset.partials = String(++this.partials);
    } else if (event.type === 'image') {
      this.#image(event.slot, event.candidate).finish(event.score);
    }
  }

  fail(message: string, retry?: () => void): void {
    this.element.removeAttribute('aria-busy');
    for (const live of this.#live.values()) live.abandon(message === 'Stopped.' ? 'stopped' : 'unfinished');
    this.#progress.remove();
    this.element.append(h('div', { class: 'error', role: 'alert' }, h('span', {}, message), retry ? h('button', { type: 'button', class: 'button small', onclick: retry }, icon('refresh'), 'Try again') : null));
  }

  #image(slot: number, candidate: number): LiveImage {
    const key = `${slot}:${candidate}`;
    let live = this.#live.get(key);
    if (!live) {
      live = new LiveImage(this.prompt ? `Image for “${this.prompt}”` : 'Image');
      this.#live.set(key, live);
      this.#images.classList.toggle('candidates', this.#live.size > 1);
      this.#images.append(live.element);
    }
    return live;
  }
}
