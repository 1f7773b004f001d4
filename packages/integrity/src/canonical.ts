export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`canonicalJson: ${path}: ${problem}`);
    this.path = path;
  }
}

// Internal: collects the path while unwinding, so the happy path pays nothing for it.
class PathedProblem {
  readonly segments: (string | number)[] = [];
  readonly problem: string;
  constructor(problem: string) {
    this.problem = problem;
  }
}


/**
 * Objects and arrays nest at most this deep: deeper input is refused with a CanonicalJsonError
 * rather than exhausting the stack (a hostile record once nested 6,000 arrays deep). Far above
 * any event (the verified log's own limit is 16).
 */
export const CANONICAL_MAX_DEPTH = 64;

/**
 * RFC 8785 (JCS) serialisation. Only I-JSON values are accepted: anything JSON.stringify
 * would silently drop or coerce (undefined members, functions, symbols, bigint, NaN,
 * Infinity, Dates and other class instances, toJSON, array holes, lone surrogates, cycles)
 * throws, because a hash over a silently altered value is worse than no hash.
 */
export function canonicalJson(value: unknown): string {
  try {
    return serialise(value, new Set());
  } catch (error) {
    if (error instanceof PathedProblem) {
      throw new CanonicalJsonError(formatPath(error.segments), error.problem);
    }
    throw error;
  }
}

/**
 * `canonicalJson` of a copy of `record` without the members `omit` names (`{ hash, signature,
 * ...rest }`), without making the copy: the same text, and the same errors. As for the copy, the
 * record itself need not be a plain object, and one that contains itself is serialised once more
 * before the cycle is found (a stand-in holds the copy's place among the ancestors).
 */
export function canonicalJsonOmitting(record: object, omit: ReadonlySet<string>): string {
  try {
    return serialiseMembers(record as Record<string, unknown>, new Set([COPY]), omit);
  } catch (error) {
    if (error instanceof PathedProblem) {
      throw new CanonicalJsonError(formatPath(error.segments), error.problem);
    }
    throw error;
  }
}

const COPY: object = Object.freeze({});

function serialise(value: unknown, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) throw new PathedProblem('string contains a lone surrogate');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new PathedProblem(`${String(value)} is not a JSON number`);
      // ECMAScript Number-to-String is exactly the JCS number format (and -0 becomes "0").
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serialiseContainer(value, ancestors);
    default:
      throw new PathedProblem(`${typeof value} is not a JSON value`);
  }
}

function serialiseContainer(value: object, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new PathedProblem('circular reference');
  if (ancestors.size >= CANONICAL_MAX_DEPTH) throw new PathedProblem(`nested deeper than ${CANONICAL_MAX_DEPTH}`);
  ancestors.add(value);
  const text = Array.isArray(value) ? serialiseArray(value, ancestors) : serialiseObject(value, ancestors);
  ancestors.delete(value);
  return text;
}

function serialiseArray(array: readonly unknown[], ancestors: Set<object>): string {
  let text = '[';
  for (let index = 0; index < array.length; index++) {
    if (index > 0) text += ',';
    if (!(index in array)) throw withSegment(new PathedProblem('array hole is not a JSON value'), index);
    try {
      text += serialise(array[index], ancestors);
    } catch (error) {
      throw withSegment(error, index);
    }
  }
  return text + ']';
}

function serialiseObject(object: object, ancestors: Set<object>): string {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'exotic object';
    throw new PathedProblem(`${kind} is not a plain JSON object`);
  }
  return serialiseMembers(object as Record<string, unknown>, ancestors, undefined);
}

function serialiseMembers(record: Record<string, unknown>, ancestors: Set<object>, omit: ReadonlySet<string> | undefined): string {
  const keys = sortedKeys(record);
  let text = '{';
  let first = true;
  let index = 0;
  try {
    for (; index < keys.length; index++) {
      const key = keys[index] as string;
      if (omit?.has(key)) continue;
      if (!first) text += ',';
      first = false;
      if (!key.isWellFormed()) throw new PathedProblem('member name contains a lone surrogate');
      text += quotedKey(key) + serialise(record[key], ancestors);
    }
  } catch (error) {
    throw withSegment(error, keys[index] as string);
  }
  return text + '}';
}

// The records of a log come in a handful of shapes (an envelope, its actor, its data, its commit
// link), each with its members in the same order every time: their sorted order and their quoted
// names are remembered (both bounded), so a record is sorted and quoted once per shape, not once each.
const REMEMBERED = 512;
const shapes = new Map<string, { keys: string[]; sorted: string[] }>();
const quoted = new Map<string, string>();

/** Object.keys in UTF-16 code unit order, as JCS requires (Array.prototype.sort without a comparator). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  const first = keys[0];
  if (first === undefined) return keys;
  const known = shapes.get(first);
  if (known !== undefined && sameKeys(known.keys, keys)) return known.sorted;
  const sorted = [...keys].sort();
  if ((shapes.size < REMEMBERED || known !== undefined) && rememberable(keys)) shapes.set(first, { keys, sorted });
  return sorted;
}

function sameKeys(known: readonly string[], keys: readonly string[]): boolean {
  if (known.length !== keys.length) return false;
  for (let index = 0; index < keys.length; index++) if (known[index] !== keys[index]) return false;
  return true;
}

/** Only small shapes are remembered: a hostile record's thousand long names are sorted, not kept. */
function rememberable(keys: readonly string[]): boolean {
  return keys.length <= 32 && keys.every((key) => key.length <= 64);
}

/** `"name":` */
function quotedKey(key: string): string {
  let text = quoted.get(key);
  if (text === undefined) {
    text = JSON.stringify(key) + ':';
    if (quoted.size < REMEMBERED * 8 && key.length <= 64) quoted.set(key, text);
  }
  return text;
}

function withSegment(error: unknown, segment: string | number): unknown {
  if (error instanceof PathedProblem) error.segments.unshift(segment);
  return error;
}

function formatPath(segments: readonly (string | number)[]): string {
  let path = '$';
  for (const segment of segments) {
    path += typeof segment === 'number' ? `[${segment}]`
      : /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}`
      : `[${JSON.stringify(segment)}]`;
  }
  return path;
}
