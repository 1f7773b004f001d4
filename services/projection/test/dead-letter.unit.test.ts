import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deadLetterRecord, deadLetterValue } from '../src/dead-letter.ts';

const sha256 = (value: Buffer) => createHash('sha256').update(value).digest('hex');

describe('deadLetterValue', () => {
  it('keeps a small value whole', () => {
    const value = Buffer.from('{"eventId":"x"}');
    expect(deadLetterValue(value)).toEqual({ value: '{"eventId":"x"}', valueBytes: value.length, valueSha256: sha256(value), valueTruncated: false });
  });

  it('keeps a value of exactly 16 KiB whole', () => {
    const value = Buffer.from('z'.repeat(16 * 1024));
    expect(deadLetterValue(value)).toMatchObject({ value: value.toString(), valueBytes: 16 * 1024, valueTruncated: false });
  });

  it('keeps the first 16 KiB of a larger value, with the whole size and the SHA-256 of the whole value', () => {
    const value = Buffer.concat([Buffer.from('a'.repeat(16 * 1024)), Buffer.from('b'.repeat(900 * 1024))]);
    const kept = deadLetterValue(value);
    expect(kept).toEqual({ value: 'a'.repeat(16 * 1024), valueBytes: value.length, valueSha256: sha256(value), valueTruncated: true });
    expect(kept.valueSha256).not.toBe(sha256(value.subarray(0, 16 * 1024)));
  });

  it('says a null value is null', () => {
    expect(deadLetterValue(null)).toEqual({ value: null, valueBytes: 0, valueSha256: null, valueTruncated: false });
  });
});

describe('deadLetterRecord', () => {
  const failure = { reason: 'not_json', detail: 'not JSON', stream: 'gd/?', topic: 't.gd.events', partition: 2, offset: '41' } as const;
  const record = { topic: 't.gd.events', partition: 2, offset: '41', key: '2019-03', value: Buffer.from('x'), timestamp: '0' };

  it('is the failure, the record key and the bounded value, keyed by the record key', () => {
    const letter = deadLetterRecord({ failure, record });
    expect(letter.key).toBe('2019-03');
    expect(JSON.parse(letter.value)).toEqual({ ...failure, key: '2019-03', ...deadLetterValue(record.value) });
    expect(Object.keys(JSON.parse(letter.value))).toEqual(['reason', 'detail', 'stream', 'topic', 'partition', 'offset', 'key', 'value', 'valueBytes', 'valueSha256', 'valueTruncated']);
  });

  it('keeps at most 1,024 characters of the key, and is keyed by where the record is when it has none', () => {
    const long = deadLetterRecord({ failure, record: { ...record, key: 'k'.repeat(5000) } });
    expect(long.key).toBe('k'.repeat(1024));
    expect(JSON.parse(long.value).key).toBe('k'.repeat(1024));
    const keyless = deadLetterRecord({ failure, record: { ...record, key: null } });
    expect(keyless.key).toBe('t.gd.events/2@41');
    expect(JSON.parse(keyless.value).key).toBeNull();
  });
});
