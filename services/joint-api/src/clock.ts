import { hongKongDate } from '@gdhk/domain';

/** One reading of the clock: the instant, and the calendar date in Hong Kong at that instant. */
export interface Reading {
  readonly iso: string;
  readonly hongKongDate: string;
}

const DAY_MS = 86_400_000;
// Asia/Hong_Kong has kept UTC+8 without daylight saving since 1979 (as packages/domain's time.ts).
const HONG_KONG_OFFSET_MS = 8 * 3_600_000;

/**
 * Readings of the system clock, made at most once per millisecond: a read asks for one on every
 * request, and `new Date().toISOString()` and `hongKongDate` cost microseconds each on Node 26,
 * a tenth of a read served from memory. Two calls in the same millisecond get the same reading, as
 * two `new Date()` would; the date is `hongKongDate` of the instant, worked out again whenever the
 * millisecond falls on another Hong Kong day than the previous reading's.
 */
export function systemClock(readMs: () => number = Date.now): () => Reading {
  let at = Number.NaN;
  let day = Number.NaN;
  let reading: Reading = { iso: '', hongKongDate: '' };
  return () => {
    const ms = readMs();
    if (ms !== at) {
      const iso = new Date(ms).toISOString();
      const today = Math.floor((ms + HONG_KONG_OFFSET_MS) / DAY_MS);
      reading = { iso, hongKongDate: today === day ? reading.hongKongDate : hongKongDate(iso) };
      day = today;
      at = ms;
    }
    return reading;
  };
}

/** Readings of a clock given as ISO instants (tests pin one); the date is parsed once per instant. */
export function readingsOf(now: () => string): () => Reading {
  let reading: Reading | undefined;
  return () => {
    const iso = now();
    if (reading?.iso !== iso) reading = { iso, hongKongDate: hongKongDate(iso) };
    return reading;
  };
}
