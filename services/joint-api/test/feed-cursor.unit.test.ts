import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, START } from '../src/feed.ts';

describe('feed cursor', () => {
  it('round-trips and stays opaque', () => {
    const cursor = { generation: 'v1', buildId: 'b-1', streamId: '1700000000000-3', delivered: { 'gd/0': '12', 'hk/2': '7' } };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
    expect(decodeCursor(encodeCursor(START))).toEqual(START);
  });

  it('refuses cursors it did not issue with GDHK_INVALID_CURSOR', () => {
    for (const text of ['garbage', Buffer.from('[2,"v1","b","1-0",{}]').toString('base64url'), Buffer.from('[1,"v1","b","1-0",{"gd/0":"x"}]').toString('base64url')]) {
      expect(() => decodeCursor(text)).toThrow(expect.objectContaining({ code: 'GDHK_INVALID_CURSOR', status: 400 }));
    }
  });
});
