/** Settings kept in this browser: the API key (sent as Bearer), for servers started with one. */

const KEY = 'tessera.apiKey';

export function apiKey(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return ''; // storage disabled: no key
  }
}

export function setApiKey(value: string): void {
  if (value.trim()) localStorage.setItem(KEY, value.trim());
  else localStorage.removeItem(KEY);
}

/** Wires the Settings dialog; `onSaved` runs after a change (reload the data with the new key). */
export function settingsDialog(dialog: HTMLDialogElement, onSaved: () => void): { open(message?: string): void } {
  const form = dialog.querySelector('form')!;
  const input = dialog.querySelector<HTMLInputElement>('#api-key')!;
  const note = dialog.querySelector<HTMLElement>('#settings-note')!;
  form.addEventListener('submit', (event) => {
    if (event.submitter?.getAttribute('value') !== 'save') return;
    setApiKey(input.value);
    onSaved();
  });
  return {
    open(message) {
      input.value = apiKey();
      note.textContent = message ?? '';
      note.hidden = !message;
      dialog.showModal();
      input.focus();
    },
  };
}
