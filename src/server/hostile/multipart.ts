/**
 * multipart/form-data built by hand, byte by byte, so a request can be wrong in exactly the way a
 * case wants (a missing boundary, a cut-off part, a part with no name) where FormData would refuse.
 *
 * @example
 *   const body = multipart([{ name: 'prompt', value: 'a fox' }, { name: 'image', filename: 'a.png', data: png }]);
 *   // headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }
 */
export const BOUNDARY = 'tessera-hostile-7MA4YWxkTrZu0gW';

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; data: Uint8Array; type?: string }
  /** A part whose headers are given as is (a missing Content-Disposition, say). */
  | { rawHeaders: string; data: Uint8Array };

export function multipart(parts: readonly FormPart[], boundary = BOUNDARY, close = true): Uint8Array {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('rawHeaders' in part) {
      chunks.push(Buffer.from(`${part.rawHeaders}\r\n\r\n`), Buffer.from(part.data));
    } else if ('value' in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`), Buffer.from(part.data));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

export const multipartType = (boundary = BOUNDARY) => `multipart/form-data; boundary=${boundary}`;
