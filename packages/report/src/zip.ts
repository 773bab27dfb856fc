/**
 * A minimal streaming zip writer: deflate and CRC-32 from node:zlib, sizes in data descriptors, so
 * files are read once and never held in memory. No zip64: each file and the archive must stay
 * under 4 GiB.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

/** One file of an archive. */
export interface ZipEntry {
  /** Name inside the archive, with `/` separators. */
  name: string;
  /** The file to read. */
  path: string;
  /** Modification time stored in the archive. */
  mtime: Date;
  /** Unix mode bits. @defaultValue 0o644 */
  mode?: number;
}

function dosTime(d: Date): { time: number; date: number } {
  const y = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((y - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

const LIMIT = 0xffffffff;

/**
 * Streams a zip of `entries` to `out` (which is not ended). Resolves when the archive is complete,
 * rejects when a file cannot be read or `out` is destroyed.
 */
export async function writeZip(entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>, out: Writable, options: { level?: number } = {}): Promise<void> {
  let offset = 0;
  const central: Buffer[] = [];
  let count = 0;
  const write = async (b: Buffer) => {
    if (out.destroyed) throw new Error('zip: output closed');
    offset += b.length;
    if (!out.write(b)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  };
  for await (const e of entries as AsyncIterable<ZipEntry>) {
    const name = Buffer.from(e.name, 'utf8');
    const { time, date } = dosTime(e.mtime);
    const flags = 0x0808; // sizes in a data descriptor; UTF-8 names
    const start = offset;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(8, 8);
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    lh.writeUInt16LE(name.length, 26);
    await write(Buffer.concat([lh, name]));

    let crc = 0;
    let size = 0;
    let csize = 0;
    const deflate = createDeflateRaw({ level: options.level ?? 6 });
    const consume = (async () => {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        csize += chunk.length;
        await write(chunk);
      }
    })();
    const rs = createReadStream(e.path);
    const produce = (async () => {
      try {
        for await (const chunk of rs as AsyncIterable<Buffer>) {
          crc = crc32(chunk, crc);
          size += chunk.length;
          if (!deflate.write(chunk)) await once(deflate, 'drain');
        }
      } finally {
        deflate.end();
      }
    })();
    try {
      await Promise.all([produce, consume]);
    } catch (err) {
      rs.destroy();
      deflate.destroy();
      throw err;
    }
    if (size > LIMIT || csize > LIMIT || start > LIMIT) throw new Error(`zip: ${e.name} is too large (no zip64 support)`);

    const dd = Buffer.alloc(16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc, 4);
    dd.writeUInt32LE(csize, 8);
    dd.writeUInt32LE(size, 12);
    await write(dd);

    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(time, 12);
    ch.writeUInt16LE(date, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(csize, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE((((e.mode ?? 0o644) & 0xffff) | 0o100000) * 0x10000 >>> 0, 38);
    ch.writeUInt32LE(start, 42);
    central.push(ch, name);
    count++;
  }
  const cdStart = offset;
  const cd = Buffer.concat(central);
  await write(cd);
  if (count > 0xffff || cdStart > LIMIT) throw new Error('zip: too many files or too large (no zip64 support)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(cdStart, 16);
  await write(end);
}
