/**
 * The prompt box: text, attached images (picker, drag and drop anywhere, paste), how many
 * candidates, what kind of reply; Enter sends, Shift+Enter is a new line. While a reply is being
 * written the send button becomes Stop.
 */
import type { ReplyKind } from '../../server/chat/wire.ts';
import { h, icon, iconButton } from './dom.ts';
import { imageDataUrl, imageFiles } from './files.ts';

export interface Outgoing {
  text: string;
  images: string[];
  n: number;
  reply: ReplyKind;
}

const MAX_IMAGES = 4;

export class Composer {
  readonly #form: HTMLFormElement;
  readonly #prompt: HTMLTextAreaElement;
  readonly #send: HTMLButtonElement;
  readonly #tray: HTMLElement;
  readonly #count: HTMLSelectElement;
  readonly #reply: HTMLSelectElement;
  #images: string[] = [];
  #busy = false;

  constructor(
    form: HTMLFormElement,
    private readonly handlers: { send(message: Outgoing): void; stop(): void; notify(message: string): void },
  ) {
    this.#form = form;
    this.#prompt = form.querySelector('#prompt')!;
    this.#send = form.querySelector('#send')!;
    this.#tray = form.querySelector('#attachments')!;
    this.#count = form.querySelector('#count')!;
    this.#reply = form.querySelector('#reply')!;
    const picker = form.querySelector<HTMLInputElement>('#file-input')!;

    form.querySelector('#attach')!.addEventListener('click', () => picker.click());
    picker.addEventListener('change', () => {
      void this.attach(Array.from(picker.files ?? []));
      picker.value = '';
    });
    this.#prompt.addEventListener('paste', (event) => {
      const files = imageFiles(event.clipboardData);
      if (files.length) {
        event.preventDefault();
        void this.attach(files);
      }
    });
    this.#prompt.addEventListener('input', () => this.#grow());
    this.#prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.#reply.addEventListener('change', () => {
      if (this.#reply.value !== 'image') this.#count.value = '1';
      this.#count.disabled = this.#reply.value !== 'image';
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.#busy) return this.handlers.stop();
      const text = this.#prompt.value.trim();
      if (!text && !this.#images.length) return this.#prompt.focus();
      this.handlers.send({ text, images: [...this.#images], n: Number(this.#count.value), reply: this.#reply.value as ReplyKind });
    });
  }

  async attach(files: File[]): Promise<void> {
    for (const file of files) {
      if (this.#images.length >= MAX_IMAGES) return this.handlers.notify(`At most ${MAX_IMAGES} images per message.`);
      try {
        this.#images.push(await imageDataUrl(file));
      } catch (error) {
        this.handlers.notify((error as Error).message);
      }
    }
    this.#renderTray();
  }

  /** Empties the box after a message went out. */
  clear(): void {
    this.#prompt.value = '';
    this.#images = [];
    this.#renderTray();
    this.#grow();
  }

  setText(text: string): void {
    this.#prompt.value = text;
    this.#grow();
    this.#prompt.focus();
  }

  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#send.replaceChildren(icon(busy ? 'stop' : 'send'));
    this.#send.setAttribute('aria-label', busy ? 'Stop' : 'Send');
    this.#send.title = busy ? 'Stop' : 'Send';
    this.#send.classList.toggle('stop', busy);
    this.#form.setAttribute('aria-busy', String(busy));
  }

  focus(): void {
    this.#prompt.focus();
  }

  #renderTray(): void {
    this.#tray.replaceChildren(
      ...this.#images.map((url, i) =>
        h('div', { class: 'attachment' }, h('img', { src: url, alt: `Attachment ${i + 1}` }), iconButton('close', `Remove attachment ${i + 1}`, () => {
          this.#images.splice(i, 1);
          this.#renderTray();
        })),
      ),
    );
    this.#tray.hidden = this.#images.length === 0;
  }

  #grow(): void {
    this.#prompt.style.height = 'auto';
    this.#prompt.style.height = `${Math.min(this.#prompt.scrollHeight, 200)}px`;
  }
}
