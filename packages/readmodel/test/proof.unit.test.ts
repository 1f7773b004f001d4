import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSealEntry, encodeSealEntry, storedProofOf } from '../src/proof.ts';

describe('seal entries of the read model', () => {
  const hashes = Array.from({ length: 5 }, (_, n) => createHash('sha256').update(String(n)).digest('hex'));
  const seal = JSON.stringify({ kind: 'gdhk.seal', text: 'line\nbreak, escaped by JSON', last: hashes[4] });

  it('round-trips a seal JSON and its hashes, 32 bytes a hash after one newline', () => {
    const entry = encodeSealEntry(seal, hashes);
    expect(entry.length).toBe(Buffer.byteLength(seal) + 1 + 32 * hashes.length);
    expect(decodeSealEntry(entry)).toEqual({ seal, hashes });
  });

  it('refuses what is not one', () => {
    expect(() => encodeSealEntry('{\n}', hashes)).toThrow(/newline/);
    expect(() => encodeSealEntry(seal, ['ABC'])).toThrow(/not a hash/);
    expect(decodeSealEntry(Buffer.from(seal))).toBeUndefined();
    expect(decodeSealEntry(Buffer.concat([encodeSealEntry(seal, hashes), Buffer.of(1)]))).toBeUndefined();
    expect(decodeSealEntry(Buffer.from(`${seal}\n`))).toBeUndefined();
  });

  it('reads the proof reply, and throws on an inconsistent one', () => {
    const entry = encodeSealEntry(seal, hashes);
    const reply = (...parts: string[]) => parts.map((part) => Buffer.from(part));
    expect(storedProofOf(reply('unknown'), 'e')).toEqual({ kind: 'unknown' });
    expect(storedProofOf(reply('v1'), 'e')).toEqual({ kind: 'version-one' });
    expect(storedProofOf([...reply('sealed', 'gd/1@7', '3'), entry, Buffer.from('{"a":1}')], 'e')).toEqual({ kind: 'sealed', ref: 'gd/1@7', leafIndex: 3, seal, hashes, event: '{"a":1}' });
    expect(() => storedProofOf([...reply('sealed', 'gd/1@7', '5'), entry, Buffer.from('{}')], 'e')).toThrow(/leaf 5/);
    expect(() => storedProofOf([...reply('sealed', 'gd/1@7', '0', ''), Buffer.from('{}')], 'e')).toThrow(/missing/);
    expect(() => storedProofOf([...reply('sealed', 'gd/1@7', '0'), entry, Buffer.alloc(0)], 'e')).toThrow(/feed entry is gone/);
    expect(() => storedProofOf(reply('broken'), 'e')).toThrow(/not one/);
  });
});
