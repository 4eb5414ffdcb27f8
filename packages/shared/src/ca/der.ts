/**
 * Just enough DER (ITU-T X.690) to write and read the X.509 certificates Strait issues.
 * Issuing sits on the hot path (one certificate per proxy, thousands per start), and a
 * general ASN.1 library spends most of its time in schema machinery; the shapes we need
 * are few and fixed, so they are encoded directly. Encodings are strictly DER (minimal
 * lengths and integers), which BoringSSL in Envoy insists on.
 */

/** Universal tags used by certificates. */
export const Tag = Object.freeze({
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
});

/** Encodes one TLV. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(Tag.sequence, Buffer.concat(items));
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(Tag.set, Buffer.concat(items));
export const octetString = (bytes: Uint8Array): Buffer => tlv(Tag.octetString, bytes);
export const utf8String = (text: string): Buffer => tlv(Tag.utf8String, Buffer.from(text, 'utf8'));
export const derNull = (): Buffer => Buffer.from([Tag.null, 0x00]);
/** BOOLEAN TRUE; DER omits fields whose value is the default FALSE, so FALSE is never written. */
export const booleanTrue = (): Buffer => Buffer.from([Tag.boolean, 0x01, 0xff]);
/** `[n]` IMPLICIT primitive (e.g. a GeneralName) or EXPLICIT/constructed wrapper. */
export const contextPrimitive = (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content);
export const contextConstructed = (n: number, content: Uint8Array): Buffer => tlv(0xa0 | n, content);

/** A non-negative INTEGER from big-endian magnitude bytes (leading zeros dropped, sign byte added). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = Buffer.from(magnitude.subarray(start));
  const first = trimmed[0] ?? 0;
  return tlv(Tag.integer, first >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** A small non-negative INTEGER. */
export function smallInteger(value: number): Buffer {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return unsignedInteger(Buffer.from(bytes.length === 0 ? [0] : bytes));
}

/** A BIT STRING of whole bytes (keys, signatures). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(Tag.bitString, Buffer.concat([Buffer.from([0]), bytes]));

/**
 * A named-bit BIT STRING (KeyUsage) from bit positions, bit 0 being the most significant bit
 * of the first byte. DER drops trailing zero bits, so the unused-bit count follows the last set bit.
 */
export function namedBits(positions: readonly number[]): Buffer {
  const highest = Math.max(...positions);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const p of positions) bytes[Math.floor(p / 8)] = (bytes[Math.floor(p / 8)] ?? 0) | (0x80 >> (p % 8));
  const unused = 7 - (highest % 8);
  return tlv(Tag.bitString, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** An OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(Tag.oid, Buffer.from(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(Tag.utcTime, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(Tag.generalizedTime, Buffer.from(digits, 'ascii'));
}

/** One decoded TLV: its tag, its content and its full encoding. */
export interface DerNode {
  readonly tag: number;
  readonly content: Buffer;
  /** The whole TLV (header and content), e.g. to copy a Name verbatim. */
  readonly raw: Buffer;
}

/** Reads the TLV at `offset`; throws on truncated or indefinite-length input. */
export function readNode(buffer: Buffer, offset = 0): DerNode {
  const tag = byteAt(buffer, offset);
  let length = byteAt(buffer, offset + 1);
  let header = 2;
  if (length >= 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byteAt(buffer, offset + 2 + i);
    header += count;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw new Error('truncated DER');
  return { tag, content: buffer.subarray(offset + header, end), raw: buffer.subarray(offset, end) };
}

/** The TLVs inside a constructed node. */
export function children(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  for (let offset = 0; offset < node.content.length; ) {
    const child = readNode(node.content, offset);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const [head = 0, ...rest] = arcs;
  const first = head < 80 ? Math.floor(head / 40) : 2;
  return [first, head - first * 40, ...rest].join('.');
}

/** A UTCTime or GeneralizedTime node as a Date. */
export function decodeTime(node: DerNode): Date {
  const text = node.content.toString('ascii');
  const full =
    node.tag === Tag.utcTime ? `${Number(text.slice(0, 2)) >= 50 ? '19' : '20'}${text}` : text.replace(/\.\d+/, '');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(full);
  if (m === null) throw new Error(`unsupported certificate time ${text}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

function byteAt(buffer: Buffer, offset: number): number {
  const byte = buffer[offset];
  if (byte === undefined) throw new Error('truncated DER');
  return byte;
}
