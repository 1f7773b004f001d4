import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../src/rate-limit.ts';

describe('per-user token buckets', () => {
  const clock = () => {
    let ms = 0;
    return { now: () => ms, advance: (by: number) => void (ms += by) };
  };

  it('lets a burst through, refuses the next request, and says when one token is back', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3, maxUsers: 10, now: time.now });
    expect([1, 2, 3].map(() => buckets.take('alice'))).toEqual([{ allowed: true, remaining: 2 }, { allowed: true, remaining: 1 }, { allowed: true, remaining: 0 }]);
    expect(buckets.take('alice')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('bob')).toMatchObject({ allowed: true });
    time.advance(500);
    expect(buckets.take('alice')).toMatchObject({ allowed: true, remaining: 0 });
    expect(buckets.take('alice')).toMatchObject({ allowed: false });
  });

  it('holds at most maxUsers buckets, dropping the least recently seen, and drops buckets full again', () => {
    const time = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2, maxUsers: 3, now: time.now });
    for (const user of ['a', 'b', 'c', 'd']) buckets.take(user);
    expect(buckets.size).toBe(3);
    time.advance(10_000);
    buckets.take('e');
    expect(buckets.size).toBe(1);
  });
});
