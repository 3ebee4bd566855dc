/**
 * The conversation list: open, rename (inline), delete. On a narrow screen it is a drawer that the
 * menu button opens and any choice closes.
 */
import type { ConversationSummary } from '../../server/chat/wire.ts';
import { h, iconButton } from './dom.ts';

export interface SidebarHandlers {
  open(id: string): void;
  rename(id: string, title: string): void;
  remove(conversation: ConversationSummary): void;
}

export class Sidebar {
  readonly #list: HTMLElement;
  readonly #menu: HTMLButtonElement;
  readonly #scrim: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly handlers: SidebarHandlers,
  ) {
    this.#list = root.querySelector('#conversations')!;
    this.#menu = document.querySelector('#menu')!;
    this.#scrim = document.querySelector('#scrim')!;
    this.#menu.addEventListener('click', () => this.toggle(!root.classList.contains('open')));
    this.#scrim.addEventListener('click', () => this.toggle(false));
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.toggle(false);
    });
  }

  toggle(open: boolean): void {
    this.root.classList.toggle('open', open);
    this.#scrim.hidden = !open;
    this.#menu.setAttribute('aria-expanded', String(open));
    if (open) this.root.querySelector<HTMLElement>('button')?.focus();
  }

  render(conversations: ConversationSummary[], currentId: string | undefined): void {
    if (!conversations.length) {
      this.#list.replaceChildren(h('li', { class: 'muted empty-list' }, 'No conversations yet.'));
      return;
    }
    this.#list.replaceChildren(...conversations.map((c) => this.#item(c, c.id === currentId)));
  }

  #item(c: ConversationSummary, current: boolean): HTMLElement {
    const title = c.title || 'New chat';
    const open = h('button', { type: 'button', class: 'conversation-link', 'aria-current': current ? 'page' : null, onclick: () => {
      this.toggle(false);
      this.handlers.open(c.id);
    } }, h('span', { class: 'conversation-title' }, title));
    const item = h(
      'li',
      { class: `conversation${current ? ' current' : ''}`, 'data-id': c.id },
      open,
      iconButton('rename', `Rename “${title}”`, () => this.#editTitle(item, c)),
      iconButton('trash', `Delete “${title}”`, () => this.handlers.remove(c)),
    );
    return item;
  }

  #editTitle(item: HTMLElement, c: ConversationSummary): void {
    const input = h('input', { type: 'text', class: 'rename-input', value: c.title, 'aria-label': 'Conversation title', maxlength: 200 });
    let done = false;
    const finish = (save: boolean) => {
      if (done) return;
      done = true;
      if (save && input.value.trim() !== c.title) this.handlers.rename(c.id, input.value.trim());
      else item.replaceWith(this.#item(c, item.classList.contains('current')));
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') {
        event.stopPropagation();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(true));
    item.replaceChildren(input);
    input.focus();
    input.select();
  }
}
