import { randomBytes } from 'node:crypto';

/**
 * OpenPaaS ids are MongoDB ObjectIds exposed as 24-char lowercase hex. The memory stores generate ids of the same form
 * so that code and contract tests never depend on the backend. Layout: 4-byte seconds, 5 random bytes, 3-byte counter.
 */
const processRandom = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

export function newObjectIdHex(now: Date = new Date()): string {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(Math.floor(now.getTime() / 1000) >>> 0, 0);
  processRandom.copy(buf, 4);
  counter = (counter + 1) % 0xffffff;
  buf.writeUIntBE(counter, 9, 3);
  return buf.toString('hex');
}

export function isObjectIdHex(value: string): boolean {
  return /^[0-9a-fA-F]{24}$/.test(value);
}
