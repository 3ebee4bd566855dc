/**
 * Image codes as report.json keeps them: base64 of little-endian uint16, 684 characters for 256 codes
 * where a JSON array of the numbers takes about 1,200.
 */

export function codesToText(codes: ArrayLike<number>): string {
  const bytes = Buffer.alloc(codes.length * 2);
  for (let i = 0; i < codes.length; i++) bytes.writeUInt16LE(codes[i], i * 2);
  return bytes.toString('base64');
}

/** The codes back; throws on text that is not an even number of base64 bytes. */
export function codesFromText(text: string): Uint16Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 2 !== 0 || bytes.toString('base64') !== text) throw new RangeError(`not base64 of uint16 codes: "${text.slice(0, 24)}${text.length > 24 ? '…' : ''}"`);
  const codes = new Uint16Array(bytes.length / 2);
  for (let i = 0; i < codes.length; i++) codes[i] = bytes.readUInt16LE(i * 2);
  return codes;
}
