import { describe, expect, it } from 'vitest';
import { CursorSeal } from '../src/cursor-seal.ts';
import { checkCursor, compareStreamIds, decodeCursor, encodeCursor, type FeedCursor } from '../src/feed.ts';

const seal = new CursorSeal(['a development secret of at least 32 characters']);
const cursor: FeedCursor = { generation: 'v1', buildId: 'b-1', streamId: '1700000000000-3', delivered: { 'gd/0': '12', 'hk/2': '7' } };
const bounds = {
  served: { generation: 'v1', buildId: 'b-1' },
  applied: new Map([['gd/0', 12n], ['gd/1', 0n], ['hk/0', 0n], ['hk/1', 0n], ['hk/2', 9n]]),
  trimmed: new Map<string, bigint>(),
  lastId: '1700000000000-5',
};
const invalid = (message: RegExp) => expect.objectContaining({ code: 'GDHK_INVALID_CURSOR', kind: 'invalid', message: expect.stringMatching(message) });

describe('feed cursor', () => {
  it('round-trips and stays opaque', () => {
    const text = encodeCursor(seal, cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeCursor(seal, text)).toEqual(cursor);
  });

  it('refuses a cursor whose payload or tag was altered, or that another secret signed', () => {
    const text = encodeCursor(seal, cursor);
    const [body = '', tag = ''] = text.split('.');
    const forged = Buffer.from(JSON.stringify(['feed', 'v1', 'b-1', '1700000000000-3', { 'gd/0': '99' }])).toString('base64url');
    for (const altered of [`${forged}.${tag}`, `${body}.${tag.slice(0, -2)}AA`, `${body}`, 'garbage', encodeCursor(new CursorSeal(['another secret, also of 32 characters or more']), cursor)]) {
      expect(() => decodeCursor(seal, altered)).toThrow(invalid(/not one this API issued|does not verify/));
    }
  });

  it('accepts cursors signed with any secret of the list, signs with the first (rotation)', () => {
    const rotated = new CursorSeal(['the new secret, 32 characters or more', 'a development secret of at least 32 characters']);
    expect(decodeCursor(rotated, encodeCursor(seal, cursor))).toEqual(cursor);
    expect(() => decodeCursor(seal, encodeCursor(rotated, cursor))).toThrow(invalid(/does not verify/));
  });

  it('refuses a correctly signed cursor of another shape, naming the field', () => {
    expect(() => decodeCursor(seal, seal.seal(['feed', 'v1', 'b', 'not-an-id', {}]))).toThrow(invalid(/3: not a feed stream id/));
    expect(() => decodeCursor(seal, seal.seal(['feed', 'v1', 'b', '1-0', { 'xx/0': '1' }]))).toThrow(invalid(/not a side-topic partition/));
    expect(() => decodeCursor(seal, seal.seal(['history', 'v1', 'b', '1-0', {}]))).toThrow(invalid(/malformed/));
  });

  it('checks a cursor against the read model: partitions, applied offsets, the feed end, the retention', () => {
    expect(() => checkCursor(cursor, bounds)).not.toThrow();
    expect(() => checkCursor({ ...cursor, delivered: { 'gd/7': '1' } }, bounds)).toThrow(invalid(/partition gd\/7, which the feed does not have/));
    expect(() => checkCursor({ ...cursor, delivered: { 'gd/0': '13' } }, bounds)).toThrow(invalid(/past what was applied/));
    expect(() => checkCursor({ ...cursor, streamId: '1700000000001-0' }, bounds)).toThrow(invalid(/past the end of the feed/));
    expect(() => checkCursor({ ...cursor, buildId: 'b-0', delivered: { 'gd/0': '13' } }, bounds)).toThrow(expect.objectContaining({ code: 'GDHK_CURSOR_EXPIRED', kind: 'gone' }));
    expect(() => checkCursor(cursor, { ...bounds, trimmed: new Map([['gd/0', 12n]]) })).not.toThrow();
    expect(() => checkCursor(cursor, { ...bounds, trimmed: new Map([['gd/1', 3n]]) })).toThrow(expect.objectContaining({ code: 'GDHK_CURSOR_EXPIRED', message: expect.stringContaining('npm run audit -- replay') }));
  });

  it('orders stream ids numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('10-2', '10-10')).toBe(-1);
    expect(compareStreamIds('10-2', '10-2')).toBe(0);
    expect(compareStreamIds('', '0-1')).toBe(-1);
  });
});
