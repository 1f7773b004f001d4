import { describe, expect, it } from 'vitest';
import { StreamSlots } from '../src/stream-slots.ts';

describe('event stream slots', () => {
  it('caps streams per user and in all, and frees a slot once per release', () => {
    const slots = new StreamSlots({ perUser: 2, total: 3 });
    const first = slots.acquire('alice');
    const second = slots.acquire('alice');
    expect(slots.acquire('alice')).toBe('user');
    const third = slots.acquire('bob');
    expect(slots.acquire('carol')).toBe('total');
    if (typeof first === 'string' || typeof second === 'string' || typeof third === 'string') throw new Error('expected slots');
    first.release();
    first.release();
    expect(slots.count).toBe(2);
    expect(slots.acquire('alice')).not.toBe('user');
    expect(slots.acquire('carol')).toBe('total');
  });
});
