/**
 * Reading the entries of a small zip file (Alipay's daily bill comes as one): the central
 * directory names each entry and where it starts, so entries written with data descriptors
 * (sizes after the data, as Java's zip writer does) read as well. Stored and deflated entries
 * only; anything else is an error rather than a guess. Names are raw bytes (Alipay's are GBK).
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  nameBytes: Buffer;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The bill is a few megabytes at most; refuse a zip that inflates beyond this. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

export function readZipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (zip.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error('damaged zip directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error('damaged zip entry');
    if (size > MAX_ENTRY_BYTES) throw new Error('zip entry too large');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: MAX_ENTRY_BYTES });
    else throw new Error(`zip compression method ${method} is not supported`);
    entries.push({ nameBytes: Buffer.from(nameBytes), data });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
