import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * A minimal POSIX ustar writer: WebDataset shards are plain tar files. Headers carry a fixed mtime
 * and owner so that the same samples give the same bytes.
 */
export class TarWriter {
  private readonly fd: number;
  private closed = false;

  constructor(private readonly path: string) {
    // Written under a temporary name and renamed on close: a crashed build leaves no half shard.
    this.fd = openSync(`${path}.partial`, 'w');
  }

  add(name: string, data: Uint8Array): void {
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > 100) throw new Error(`tar member name over 100 bytes: ${name}`);
    const header = Buffer.alloc(512, 0);
    nameBytes.copy(header, 0);
    writeOctal(header, 100, 8, 0o644);
    writeOctal(header, 108, 8, 0);
    writeOctal(header, 116, 8, 0);
    writeOctal(header, 124, 12, data.length);
    writeOctal(header, 136, 12, 0);
    header.fill(0x20, 148, 156);
    header[156] = 0x30; // regular file
    header.write('ustar\u000000', 257, 'binary');
    let sum = 0;
    for (const byte of header) sum += byte;
    writeOctal(header, 148, 7, sum);
    header[155] = 0x20;
    writeSync(this.fd, header);
    writeSync(this.fd, data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) writeSync(this.fd, Buffer.alloc(pad));
  }

  close(): void {
    if (this.closed) return;
    writeSync(this.fd, Buffer.alloc(1024));
    closeSync(this.fd);
    renameSync(`${this.path}.partial`, this.path);
    this.closed = true;
  }
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  buf.write(text, offset, length - 1, 'ascii');
  buf[offset + length - 1] = 0;
}

/** Reads a tar file back into (name, bytes) members; used by tests and the sheet command. */
export function* readTar(data: Buffer): Generator<{ name: string; data: Buffer }> {
  let offset = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return;
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const size = parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim(), 8);
    if (!Number.isFinite(size)) throw new Error(`corrupt tar header at byte ${offset}`);
    yield { name, data: data.subarray(offset + 512, offset + 512 + size) };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}
