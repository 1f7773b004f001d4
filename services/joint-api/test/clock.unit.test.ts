import { hongKongDate } from '@gdhk/domain';
import { describe, expect, it } from 'vitest';
import { readingsOf, systemClock } from '../src/clock.ts';

describe('the read clock', () => {
  it('reads each millisecond once, and its date is hongKongDate of its instant across midnight in Hong Kong', () => {
    // 2026-12-01T16:00:00Z is midnight in Hong Kong.
    let ms = Date.UTC(2026, 11, 1, 15, 59, 59, 998);
    const clock = systemClock(() => ms);
    const first = clock();
    expect(first).toEqual({ iso: '2026-12-01T15:59:59.998Z', hongKongDate: '2026-12-01' });
    expect(clock()).toBe(first);
    const seen = [];
    for (const step of [1, 1, 1, -2, -1, 86_400_000, -86_400_001, 1]) {
      ms += step;
      const reading = clock();
      expect(reading.iso).toBe(new Date(ms).toISOString());
      expect(reading.hongKongDate).toBe(hongKongDate(reading.iso));
      seen.push(reading.hongKongDate);
    }
    expect(seen).toEqual(['2026-12-01', '2026-12-02', '2026-12-02', '2026-12-01', '2026-12-01', '2026-12-02', '2026-12-01', '2026-12-01']);
  });

  it('takes a pinned clock as it is, with the date of each instant it gives', () => {
    let iso = '2026-12-01T15:59:59.999Z';
    const clock = readingsOf(() => iso);
    expect(clock()).toEqual({ iso, hongKongDate: '2026-12-01' });
    iso = '2026-12-01T23:59:59+08:00';
    expect(clock()).toEqual({ iso, hongKongDate: '2026-12-01' });
    iso = '2026-12-01T16:00:00Z';
    expect(clock()).toEqual({ iso, hongKongDate: '2026-12-02' });
    iso = 'not an instant';
    expect(() => clock()).toThrow(RangeError);
  });
});
