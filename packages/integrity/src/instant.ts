const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date-time with seconds and an explicit
 * offset (`Z` or `±hh:mm`); undefined for anything else, including impossible dates that
 * Date.parse would roll over (2019-02-30).
 */
export function parseInstant(text: string): number | undefined {
  // A record's instant is asked for more than once as it is read (envelope, skew, schema): the
  // last answer is remembered.
  if (text === lastText) return lastMillis;
  const millis = parse(text);
  lastText = text;
  lastMillis = millis;
  return millis;
}

let lastText: string | undefined;
let lastMillis: number | undefined;

function parse(text: string): number | undefined {
  const match = isoInstant.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[7] !== undefined && (Number(match[8]) > 23 || Number(match[9]) > 59)) return undefined;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : millis;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** As `new Date(Date.UTC(year, month, 0)).getUTCDate()`, which reads years 0–99 as 1900–1999. */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1] as number;
  const full = year < 100 ? year + 1900 : year;
  return full % 4 === 0 && (full % 100 !== 0 || full % 400 === 0) ? 29 : 28;
}
