import { randomFillSync } from 'node:crypto';

const COUNTER_LIMIT = 2 ** 42;

/**
 * UUID v7 ids (RFC 9562, method 1): 48-bit Unix milliseconds, then a 42-bit counter seeded at
 * random each millisecond and stepped within it, then 32 random bits. Ids minted by one process
 * therefore sort in minting order, even if the clock steps back — the domain relies on that for
 * one side's events. Random bytes come from a pool: one getrandom per ~400 ids, not one per id.
 */
export function uuidV7Source(clock: () => number = Date.now): () => string {
  const pool = Buffer.alloc(4096);
  let used = pool.length;
  const random = (bytes: number): number => {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const value = pool.readUIntBE(used, bytes);
    used += bytes;
    return value;
  };
  let lastMs = -1;
  let counter = 0;
  const id = Buffer.alloc(16);
  return () => {
    const now = clock();
    if (now > lastMs) {
      lastMs = now;
      counter = random(6) % 2 ** 41;
    } else if (++counter >= COUNTER_LIMIT) {
      lastMs += 1;
      counter = random(6) % 2 ** 41;
    }
    const high = Math.floor(counter / 2 ** 24);
    id.writeUIntBE(lastMs, 0, 6);
    id[6] = 0x70 | ((high >>> 14) & 0x0f);
    id[7] = (high >>> 6) & 0xff;
    id[8] = 0x80 | (high & 0x3f);
    id.writeUIntBE(counter % 2 ** 24, 9, 3);
    id.writeUInt32BE(random(4), 12);
    const hex = id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
