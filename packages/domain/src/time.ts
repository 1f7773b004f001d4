// Calendar arithmetic without the clock: the domain never reads the time, it only compares
// the instants and dates it is given. Civil-day conversions follow Howard Hinnant's
// proleptic-Gregorian algorithms, exact for every year the schemas admit.

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECONDS_PER_DAY = 86_400;
// Asia/Hong_Kong has kept UTC+8 without daylight saving since 1979.
const HONG_KONG_OFFSET_SECONDS = 8 * 3_600;

interface Instant {
  /** whole seconds since 1970-01-01T00:00:00Z */
  readonly seconds: number;
  /** the fraction of a second, decimal digits without trailing zeros */
  readonly fraction: string;
}

export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: month <= 2 ? yearOfEra + era * 400 + 1 : yearOfEra + era * 400, month, day };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYY-MM-DD` naming a real Gregorian day (no 2023-02-29). */
export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return formatDate(daysFromCivil(year, month, day)) === value;
}

function parseInstant(iso: string): Instant | null {
  const match = INSTANT.exec(iso);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6])];
  if (!isCalendarDate(`${match[1]}-${match[2]}-${match[3]}`) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = match[8] ?? 'Z';
  let offsetSeconds = 0;
  if (zone.toUpperCase() !== 'Z') {
    const [offsetHours, offsetMinutes] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    offsetSeconds = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 3_600 + offsetMinutes * 60);
  }
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3_600 + minute * 60 + second - offsetSeconds;
  return { seconds, fraction: (match[7] ?? '').replace(/0+$/, '') };
}

/** An ISO-8601 date-time with seconds and an explicit zone (`Z` or `±HH:MM`). */
export function isInstant(value: string): boolean {
  return parseInstant(value) !== null;
}

// The joint view orders an item's events by instant each time the item changes, comparing the
// same instants again and again (8 % of a rebuild's main thread): their parses are remembered.
// Parsing is pure and the result read-only; only instant-sized texts are kept, and the memory
// starts again when full.
const parsedInstants = new Map<string, Instant>();
const MAX_PARSED_INSTANTS = 65_536;

function instantOrThrow(iso: string): Instant {
  const known = parsedInstants.get(iso);
  if (known !== undefined) return known;
  const instant = parseInstant(iso);
  if (instant === null) throw new RangeError(`not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  if (iso.length <= 40) {
    if (parsedInstants.size >= MAX_PARSED_INSTANTS) parsedInstants.clear();
    parsedInstants.set(iso, instant);
  }
  return instant;
}

/**
 * Orders two ISO-8601 instants as points in time, so `…00Z` and `…00.000Z` tie and
 * `…08:00+08:00` equals `…00:00Z`; sub-second digits are compared exactly, at any precision.
 */
export function compareInstants(a: string, b: string): number {
  const x = instantOrThrow(a);
  const y = instantOrThrow(b);
  if (x.seconds !== y.seconds) return x.seconds < y.seconds ? -1 : 1;
  const width = Math.max(x.fraction.length, y.fraction.length);
  const fx = x.fraction.padEnd(width, '0');
  const fy = y.fraction.padEnd(width, '0');
  return fx === fy ? 0 : fx < fy ? -1 : 1;
}

/** The calendar date in Asia/Hong_Kong (UTC+8, no DST) at the given instant. */
export function hongKongDate(iso: string): string {
  const { seconds } = instantOrThrow(iso);
  return formatDate(Math.floor((seconds + HONG_KONG_OFFSET_SECONDS) / SECONDS_PER_DAY));
}

/** Compares `YYYY-MM-DD` strings; the fixed-width format makes string order the date order. */
export function compareDates(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
