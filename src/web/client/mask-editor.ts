/**
 * The edit dialog: the image with a brush overlay. Painted strokes mark the region to regenerate;
 * the mask sent is a PNG at the image's own size whose alpha is 0 exactly where painted (the rest
 * is opaque and stays token-identical). No paint: the instruction alone drives the edit.
 */
import type { ImageView } from '../../server/chat/wire.ts';
import { storedImage } from './thread.ts';

export interface EditRequest {
  image: ImageView;
  instruction: string;
  /** data: URL of the mask PNG, when anything was painted. */
  mask?: string;
  n: number;
}

/** Opaque everywhere except the painted pixels, which become alpha 0. */
export function maskFromStrokes(strokes: HTMLCanvasElement): string | undefined {
  const { width, height } = strokes;
  const painted = strokes.getContext('2d')!.getImageData(0, 0, width, height).data;
  let any = false;
  for (let i = 3; i < painted.length && !any; i += 4) any = painted[i] > 0;
  if (!any) return undefined;
  const out = document.createElement('canvas');
  out.width = width;
  out.height = height;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  ctx.globalCompositeOperation = 'destination-out';
  ctx.drawImage(strokes, 0, 0);
  return out.toDataURL('image/png');
}

export function editDialog(dialog: HTMLDialogElement, onSubmit: (request: EditRequest) => void): { open(image: ImageView): void } {
  const form = dialog.querySelector('form')!;
  const stage = dialog.querySelector<HTMLElement>('.mask-stage')!;
  const canvas = dialog.querySelector<HTMLCanvasElement>('#mask-canvas')!;
  const size = dialog.querySelector<HTMLInputElement>('#brush-size')!;
  const instruction = dialog.querySelector<HTMLInputElement>('#edit-instruction')!;
  const count = dialog.querySelector<HTMLSelectElement>('#edit-count')!;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let current: ImageView | undefined;
  let last: { x: number; y: number } | undefined;

  const point = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * canvas.width) / rect.width, y: ((event.clientY - rect.top) * canvas.height) / rect.height, scale: canvas.width / rect.width };
  };
  const stroke = (event: PointerEvent) => {
    const p = point(event);
    ctx.strokeStyle = ctx.fillStyle = '#ff2d6f';
    ctx.lineWidth = Number(size.value) * p.scale;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(last?.x ?? p.x, last?.y ?? p.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
    canvas.dataset.painted = 'true';
  };
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    stroke(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (canvas.hasPointerCapture(event.pointerId)) stroke(event);
  });
  const end = () => (last = undefined);
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  size.addEventListener('input', () => stage.style.setProperty('--brush', `${size.value}px`));

  const clear = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    delete canvas.dataset.painted;
  };
  dialog.querySelector('#mask-clear')!.addEventListener('click', clear);

  form.addEventListener('submit', (event) => {
    if (event.submitter?.getAttribute('value') !== 'edit' || !current) return;
    const mask = maskFromStrokes(canvas);
    if (!instruction.value.trim() && !mask) {
      event.preventDefault();
      instruction.setCustomValidity('Describe the change, or paint the area to redo.');
      instruction.reportValidity();
      return;
    }
    onSubmit({ image: current, instruction: instruction.value.trim(), n: Number(count.value), ...(mask ? { mask } : {}) });
  });
  instruction.addEventListener('input', () => instruction.setCustomValidity(''));

  return {
    open(image) {
      current = image;
      canvas.width = image.width;
      canvas.height = image.height;
      clear();
      instruction.value = '';
      stage.querySelector('.edit-source')?.remove();
      stage.prepend(storedImage(image, 'The image to edit', 'edit-source'));
      dialog.showModal();
      instruction.focus();
    },
  };
}
