/**
 * The web chat: conversations on the left, the thread and the prompt box on the right. State is
 * the server's (reload and nothing is lost); this keeps only the open conversation, the reply being
 * written, and the last failure to show.
 */
import type { ConversationSummary, ConversationView, ImageView, StreamEvent } from '../../server/chat/wire.ts';
import { api, ApiFailure } from './api.ts';
import { Composer, type Outgoing } from './composer.ts';
import { h } from './dom.ts';
import { imageFiles } from './files.ts';
import { editDialog, type EditRequest } from './mask-editor.ts';
import { settingsDialog } from './settings.ts';
import { Sidebar } from './sidebar.ts';
import { PendingReply, renderMessage } from './thread.ts';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const EXAMPLES = ['a red fox in the snow', 'two blue stars over a green hill', 'a small robot reading a book'];

interface Running {
  controller: AbortController;
  pending: PendingReply;
  /** The user's message until the server has committed it. */
  optimistic?: HTMLElement;
  /** Regenerate: the reply being replaced is hidden meanwhile. */
  replacing: boolean;
}

class App {
  conversations: ConversationSummary[] = [];
  current?: ConversationView;
  running?: Running;
  failed?: HTMLElement;
  readonly thread = $('#thread');
  readonly status = $('#status');
  readonly composer = new Composer($<HTMLFormElement>('#composer'), { send: (m) => void this.send(m), stop: () => this.running?.controller.abort(), notify: (m) => this.notify(m, true) });
  readonly sidebar = new Sidebar($('#sidebar'), { open: (id) => void this.open(id), rename: (id, title) => void this.rename(id, title), remove: (c) => void this.remove(c) });
  readonly editor = editDialog($<HTMLDialogElement>('#edit-dialog'), (request) => void this.edit(request));
  readonly settings = settingsDialog($<HTMLDialogElement>('#settings-dialog'), () => void this.start());
  readonly actions = {
    edit: (image: ImageView) => this.editor.open(image),
    download: (image: ImageView) => void api.download(image).catch((e) => this.fail(e)),
    choose: (image: ImageView) => void this.choose(image),
    regenerate: () => void this.regenerate(),
  };

  async start(): Promise<void> {
    try {
      await this.refreshList();
      const id = location.hash.match(/^#c\/([\w-]+)$/)?.[1] ?? this.conversations[0]?.id;
      if (id) await this.open(id);
      else this.render();
    } catch (error) {
      this.fail(error);
      this.render();
    }
  }

  async refreshList(): Promise<void> {
    this.conversations = await api.list();
    this.sidebar.render(this.conversations, this.current?.id);
  }

  async open(id: string): Promise<void> {
    if (this.running) return this.notify('Wait for the reply, or stop it, first.', true);
    try {
      this.current = await api.get(id);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 404) {
        this.current = undefined;
        history.replaceState(null, '', location.pathname);
        this.render();
        return this.refreshList();
      }
      throw error;
    }
    this.failed = undefined;
    if (location.hash !== `#c/${id}`) history.replaceState(null, '', `#c/${id}`);
    this.sidebar.render(this.conversations, id);
    this.render(true);
  }

  newChat(): void {
    if (this.running) return;
    this.current = undefined;
    this.failed = undefined;
    history.replaceState(null, '', location.pathname);
    this.sidebar.render(this.conversations, undefined);
    this.render();
    this.composer.focus();
  }

  render(scroll = false): void {
    const c = this.current;
    $('#title').textContent = c?.title || 'New chat';
    document.title = c?.title ? `${c.title} · Tessera` : 'Tessera';
    const messages = c?.messages ?? [];
    const shown = this.running?.replacing && messages.at(-1)?.role === 'assistant' ? messages.slice(0, -1) : messages;
    const byId = new Map(messages.flatMap((m) => m.images.map((im) => [im.id, im] as const)));
    const nodes: HTMLElement[] = shown.map((m, i) => {
      const prompt = m.role === 'assistant' ? [...shown.slice(0, i)].reverse().find((u) => u.role === 'user')?.text ?? '' : m.text;
      return renderMessage(m, { last: i === shown.length - 1 && !this.running, busy: !!this.running, prompt, actions: this.actions }, byId);
    });
    if (this.running?.optimistic) nodes.push(this.running.optimistic);
    if (this.running) nodes.push(this.running.pending.element);
    else if (this.failed) nodes.push(this.failed);
    if (!nodes.length) nodes.push(this.#emptyState());
    this.thread.replaceChildren(...nodes);
    if (scroll || this.running) this.thread.scrollTop = this.thread.scrollHeight;
  }

  async send(out: Outgoing): Promise<void> {
    try {
      if (!this.current) {
        const created = await api.create();
        this.current = { ...created, messages: [] };
        history.replaceState(null, '', `#c/${created.id}`);
        await this.refreshList();
      }
    } catch (error) {
      return this.fail(error);
    }
    const id = this.current.id;
    const optimistic = h('article', { class: 'message user optimistic' }, h('div', { class: 'bubble' },
      out.images.length ? h('div', { class: 'attachments-view' }, ...out.images.map((src) => h('img', { class: 'thumb', src, alt: 'Attached image' }))) : null,
      out.text ? h('p', { class: 'text' }, out.text) : null));
    this.composer.clear();
    const ok = await this.#turn((signal) => api.post(id, out, signal), out.text, { optimistic });
    if (!ok && !this.current?.messages.some((m) => m.role === 'user' && m.text === out.text)) {
      this.composer.setText(out.text); // refused before it was stored: give the text back
      void this.composer.attach([]);
    }
  }

  async regenerate(): Promise<void> {
    const c = this.current;
    if (!c) return;
    const prompt = [...c.messages].reverse().find((m) => m.role === 'user')?.text ?? '';
    await this.#turn((signal) => api.regenerate(c.id, {}, signal), prompt, { replacing: c.messages.at(-1)?.role === 'assistant' });
  }

  async edit(request: EditRequest): Promise<void> {
    const c = this.current;
    if (!c) return;
    const body = { imageId: request.image.id, instruction: request.instruction, n: request.n, ...(request.mask ? { mask: request.mask } : {}) };
    await this.#turn((signal) => api.edit(c.id, body, signal), request.instruction);
  }

  async choose(image: ImageView): Promise<void> {
    try {
      const message = await api.choose(image.id);
      if (this.current) this.current.messages = this.current.messages.map((m) => (m.id === message.id ? message : m));
      this.render();
    } catch (error) {
      this.fail(error);
    }
  }

  async rename(id: string, title: string): Promise<void> {
    try {
      const updated = await api.rename(id, title);
      if (this.current?.id === id) this.current.title = updated.title;
      await this.refreshList();
      this.render();
    } catch (error) {
      this.fail(error);
    }
  }

  async remove(c: ConversationSummary): Promise<void> {
    if (this.running && this.current?.id === c.id) return this.notify('Stop the reply before deleting this conversation.', true);
    if (!confirm(`Delete “${c.title || 'New chat'}” and all its images?`)) return;
    try {
      await api.remove(c.id);
      await this.refreshList();
      if (this.current?.id === c.id) this.newChat();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Runs one turn's stream into the thread; true when the reply was committed. */
  async #turn(start: (signal: AbortSignal) => AsyncGenerator<StreamEvent>, prompt: string, options: { optimistic?: HTMLElement; replacing?: boolean } = {}): Promise<boolean> {
    if (this.running || !this.current) return false;
    const id = this.current.id;
    const pending = new PendingReply(prompt);
    this.running = { controller: new AbortController(), pending, replacing: options.replacing ?? false, ...(options.optimistic ? { optimistic: options.optimistic } : {}) };
    this.failed = undefined;
    this.composer.setBusy(true);
    this.notify('Writing a reply…');
    this.render(true);
    let committed = false;
    let failure: string | undefined;
    try {
      for await (const event of this.#retryBusy(start, this.running.controller.signal)) {
        if (event.type === 'user') {
          this.current?.messages.push(event.message);
          this.running.optimistic = undefined;
          this.render(true);
          void this.#retitle(id);
        } else if (event.type === 'error') {
          failure = event.error.message;
        } else if (event.type === 'done') {
          committed = true;
          this.notify('Done.');
        } else {
          pending.handle(event);
          if (event.type === 'partial' && event.rows === 1) this.thread.scrollTop = this.thread.scrollHeight;
        }
      }
      if (!committed && !failure) failure = 'The reply ended early.';
    } catch (error) {
      if (this.running.controller.signal.aborted) failure = 'Stopped.';
      else if (error instanceof ApiFailure && !this.running.pending.partials && this.running.optimistic) {
        this.running = undefined; // refused before anything was stored
        this.composer.setBusy(false);
        this.fail(error);
        this.render();
        return false;
      } else failure = error instanceof Error ? error.message : String(error);
    }
    this.running = undefined;
    this.composer.setBusy(false);
    if (failure) {
      pending.fail(failure, failure === 'Stopped.' || committed ? undefined : () => void this.regenerate());
      this.notify(failure, failure !== 'Stopped.');
    }
    try {
      if (this.current?.id === id) this.current = await api.get(id);
      await this.refreshList();
    } catch (error) {
      this.fail(error);
    }
    this.failed = failure ? pending.element : undefined;
    this.render(true);
    return committed;
  }

  /**
   * Right after Stop the server may not have noticed the disconnect yet and still holds the
   * conversation (409 conversation_busy): wait a moment and try once more.
   */
  async *#retryBusy(start: (signal: AbortSignal) => AsyncGenerator<StreamEvent>, signal: AbortSignal): AsyncGenerator<StreamEvent> {
    try {
      yield* start(signal);
    } catch (error) {
      if (!(error instanceof ApiFailure && error.error.code === 'conversation_busy')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 600));
      yield* start(signal);
    }
  }

  /** A first message titles the conversation on the server: show it while the reply is written. */
  async #retitle(id: string): Promise<void> {
    await this.refreshList().catch(() => undefined);
    const title = this.conversations.find((c) => c.id === id)?.title;
    if (this.current?.id === id && title && title !== this.current.title) {
      this.current.title = title;
      $('#title').textContent = title;
      document.title = `${title} · Tessera`;
    }
  }

  notify(message: string, error = false): void {
    this.status.textContent = message;
    this.status.classList.toggle('error', error);
  }

  fail(error: unknown): void {
    if (error instanceof ApiFailure && error.status === 401) return this.settings.open(error.message);
    this.notify(error instanceof Error ? error.message : String(error), true);
  }

  #emptyState(): HTMLElement {
    return h(
      'div',
      { class: 'empty' },
      h('img', { src: '/assets/icon.svg', alt: '', class: 'empty-logo', width: 56, height: 56 }),
      h('h2', {}, 'What should Tessera draw?'),
      h('p', { class: 'muted' }, 'Describe an image, attach one to change, or paste from the clipboard.'),
      h('div', { class: 'examples' }, ...EXAMPLES.map((text) => h('button', { type: 'button', class: 'button ghost example', onclick: () => this.composer.setText(text) }, text))),
    );
  }
}

const app = new App();
$('#new-chat').addEventListener('click', () => app.newChat());
$('#open-settings').addEventListener('click', () => app.settings.open());
window.addEventListener('hashchange', () => {
  const id = location.hash.match(/^#c\/([\w-]+)$/)?.[1];
  if (id && id !== app.current?.id) void app.open(id).catch((e) => app.fail(e));
});

// Drop images anywhere on the page to attach them.
const overlay = $('#drop-overlay');
let dragDepth = 0;
const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
window.addEventListener('dragenter', (event) => {
  if (!hasFiles(event)) return;
  dragDepth++;
  overlay.hidden = false;
});
window.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) overlay.hidden = true;
});
window.addEventListener('dragover', (event) => {
  if (hasFiles(event)) event.preventDefault();
});
window.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  overlay.hidden = true;
  const files = imageFiles(event.dataTransfer);
  if (files.length) void app.composer.attach(files);
});

void app.start();
