import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareInstants, hongKongDate, isCalendarDate, isInstant } from '../src/index.ts';

// The domain may not read the clock, but its tests may use Date as the reference.
const instants = fc.date({ min: new Date('1980-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });

describe('compareInstants', () => {
  test('orders instants as Date does', () => {
    fc.assert(
      fc.property(instants, instants, (a, b) => {
        expect(Math.sign(compareInstants(a.toISOString(), b.toISOString()))).toBe(Math.sign(a.getTime() - b.getTime()));
      }),
      { numRuns: 1000 },
    );
  });

  test('reads offsets and any sub-second precision', () => {
    expect(compareInstants('2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z')).toBe(0);
    expect(compareInstants('2025-01-01T08:00:00+08:00', '2025-01-01T00:00:00Z')).toBe(0);
    expect(compareInstants('2025-01-01T00:00:00.1Z', '2025-01-01T00:00:00.10Z')).toBe(0);
    expect(compareInstants('2025-01-01T00:00:00.123456789Z', '2025-01-01T00:00:00.12345679Z')).toBe(-1);
    expect(compareInstants('2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00Z')).toBe(-1);
  });

  test('refuses what is not an instant', () => {
    expect(() => compareInstants('2025-01-01', '2025-01-01T00:00:00Z')).toThrow(RangeError);
    expect(isInstant('2025-02-29T00:00:00Z')).toBe(false);
    expect(isInstant('2025-01-01T24:00:00Z')).toBe(false);
    expect(isInstant('2025-01-01T00:00:00')).toBe(false);
  });
});

describe('hongKongDate', () => {
  test('is the UTC+8 calendar date, as Date computes it', () => {
    fc.assert(
      fc.property(instants, (at) => {
        expect(hongKongDate(at.toISOString())).toBe(new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
      { numRuns: 1000 },
    );
  });

  test('turns over at 16:00 UTC', () => {
    expect(hongKongDate('2024-12-31T15:59:59Z')).toBe('2024-12-31');
    expect(hongKongDate('2024-12-31T16:00:00Z')).toBe('2025-01-01');
    expect(hongKongDate('2024-02-28T16:00:00Z')).toBe('2024-02-29');
  });
});

describe('isCalendarDate', () => {
  test('knows month lengths and leap years', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('2025-1-01')).toBe(false);
  });
});
