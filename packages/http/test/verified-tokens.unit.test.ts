import { describe, expect, it } from 'vitest';
import { VerifiedTokens } from '../src/verified-tokens.ts';

describe('verified tokens', () => {
  const clock = (start = 1_000_000) => {
    let ms = start;
    return { now: () => ms, set: (to: number) => void (ms = to) };
  };

  it('answers a token until its expiry and not from it on, dropping it then', () => {
    const time = clock();
    const tokens = new VerifiedTokens<string>(10, time.now);
    tokens.remember('a.b.c', 'alice', 1_000_500);
    expect(tokens.get('a.b.c')).toBe('alice');
    time.set(1_000_499);
    expect(tokens.get('a.b.c')).toBe('alice');
    time.set(1_000_500);
    expect(tokens.get('a.b.c')).toBeUndefined();
    expect(tokens.size).toBe(0);
    // Its clock going back does not bring an expired entry back: it is gone.
    time.set(1_000_000);
    expect(tokens.get('a.b.c')).toBeUndefined();
  });

  it('does not remember a token already expired', () => {
    const time = clock();
    const tokens = new VerifiedTokens<string>(10, time.now);
    tokens.remember('old', 'alice', 1_000_000);
    tokens.remember('older', 'alice', 999_000);
    expect(tokens.size).toBe(0);
  });

  it('matches the whole token only: another token, a prefix or an extension is unknown', () => {
    const tokens = new VerifiedTokens<string>(10, () => 0);
    tokens.remember('header.payload.signature', 'alice', 10_000);
    tokens.remember('header.payload2.signature2', 'bob', 10_000);
    expect(tokens.get('header.payload.signature')).toBe('alice');
    expect(tokens.get('header.payload2.signature2')).toBe('bob');
    for (const other of ['header.payload.signaturX', 'header.payload.signatur', 'header.payload.signature ', 'HEADER.payload.signature', '']) {
      expect(tokens.get(other)).toBeUndefined();
    }
  });

  it('holds at most its limit, the oldest out first, and nothing at limit 0', () => {
    const tokens = new VerifiedTokens<number>(3, () => 0);
    for (const n of [1, 2, 3, 4, 5]) tokens.remember(`t${n}`, n, 10_000);
    expect(tokens.size).toBe(3);
    expect(['t1', 't2', 't3', 't4', 't5'].map((token) => tokens.get(token))).toEqual([undefined, undefined, 3, 4, 5]);
    // Remembering a token again makes it the newest.
    tokens.remember('t3', 3, 10_000);
    tokens.remember('t6', 6, 10_000);
    expect(['t3', 't4', 't5', 't6'].map((token) => tokens.get(token))).toEqual([3, undefined, 5, 6]);
    const none = new VerifiedTokens<number>(0, () => 0);
    none.remember('t', 1, 10_000);
    expect(none.size).toBe(0);
    expect(none.get('t')).toBeUndefined();
  });
});
