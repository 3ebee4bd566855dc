/**
 * Images the user attaches (picker, drag and drop, paste) -> data: URLs to send. Big photos are
 * scaled down here: the model sees them at its own small size anyway, and the request stays well
 * under the server's body limit.
 */

export const ACCEPTED = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_SIDE = 1024;

export async function imageDataUrl(file: File): Promise<string> {
  if (!ACCEPTED.includes(file.type)) throw new Error(`${file.name || 'That file'} is not a PNG, JPEG or WebP image.`);
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error(`${file.name || 'That image'} cannot be read.`);
  });
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size < 2 * 1024 * 1024) {
    bitmap.close();
    return readAsDataUrl(file);
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/png');
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'));
    reader.readAsDataURL(file);
  });
}

/** The image files in a drop or a paste. */
export function imageFiles(data: DataTransfer | null): File[] {
  return data ? Array.from(data.files).filter((f) => f.type.startsWith('image/')) : [];
}
