/** Bounds on one record, checked before anything else looks at it (docs/contract.md, "Limits"). */
export interface Limits {
  /** bytes of the record value */
  readonly recordBytes: number;
  /** nesting of objects and arrays; the envelope itself is depth 1 */
  readonly depth: number;
  /** UTF-16 code units of any one string, keys included */
  readonly stringLength: number;
  /** elements of any one array */
  readonly arrayLength: number;
  /** members of any one object */
  readonly objectKeys: number;
}

/**
 * Generous for every event the schemas accept (texts ≤ 4,000 characters, three of them in a
 * status report: ≤ 36 KB of UTF-8 even in Chinese), far below what could hurt a consumer.
 */
export const DEFAULT_LIMITS: Limits = { recordBytes: 64 * 1024, depth: 16, stringLength: 8192, arrayLength: 256, objectKeys: 64 };

/**
 * The nesting depth of JSON text, counted without parsing (brackets outside strings), so a
 * record nested a million deep costs one pass and no stack. Returns the depth reached, stopping
 * as soon as it passes `max`.
 */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return deepest;
}

/**
 * `jsonDepth(text, max) > max`, for less: text with at most `max` opening brackets anywhere
 * cannot nest deeper, and counting them is a native search (nearly every record has a handful).
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let openers = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      openers += 1;
      if (openers > max) return jsonDepth(text, max) > max;
    }
  }
  return false;
}

/** The first limit a parsed value breaks, walked without recursion; undefined when within all. */
export function limitProblem(value: unknown, limits: Limits): string | undefined {
  // Nearly every record is within all limits: a walk that builds no paths says so, and only a
  // record that breaks one is walked again to name the first problem and where it lies.
  return withinLimits(value, limits) ? undefined : firstProblem(value, limits);
}

// The values still to visit and their depths; reused, as the walk is synchronous and never re-entered.
const pendingValues: unknown[] = [];
const pendingDepths: number[] = [];

function withinLimits(value: unknown, limits: Limits): boolean {
  pendingValues.length = 0;
  pendingDepths.length = 0;
  pendingValues.push(value);
  pendingDepths.push(0);
  let within = true;
  while (within && pendingValues.length > 0) {
    const current = pendingValues.pop();
    const depth = pendingDepths.pop() as number;
    if (typeof current === 'string') {
      within = current.length <= limits.stringLength;
    } else if (typeof current === 'object' && current !== null) {
      if (depth + 1 > limits.depth) within = false;
      else if (Array.isArray(current)) {
        if (current.length > limits.arrayLength) within = false;
        else for (const element of current as unknown[]) {
          pendingValues.push(element);
          pendingDepths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(current);
        if (keys.length > limits.objectKeys) within = false;
        for (let index = 0; within && index < keys.length; index += 1) {
          const key = keys[index] as string;
          if (key.length > limits.stringLength) within = false;
          pendingValues.push((current as Record<string, unknown>)[key]);
          pendingDepths.push(depth + 1);
        }
      }
    }
  }
  pendingValues.length = 0;
  pendingDepths.length = 0;
  return within;
}

/** The full walk that names the first problem and its path (`limitProblem` without its first, cheaper look). */
export function firstProblem(value: unknown, limits: Limits): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '$' }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const { value: current, depth, path } = next;
    if (typeof current === 'string') {
      if (current.length > limits.stringLength) return `${path}: a string of ${current.length} characters (limit ${limits.stringLength})`;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > limits.depth) return `${path}: nested deeper than ${limits.depth}`;
    if (Array.isArray(current)) {
      if (current.length > limits.arrayLength) return `${path}: an array of ${current.length} elements (limit ${limits.arrayLength})`;
      current.forEach((element, index) => stack.push({ value: element, depth: depth + 1, path: `${path}[${index}]` }));
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.objectKeys) return `${path}: an object of ${keys.length} members (limit ${limits.objectKeys})`;
    for (const key of keys) {
      if (key.length > limits.stringLength) return `${path}: a member name of ${key.length} characters (limit ${limits.stringLength})`;
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, path: `${path}.${key.length > 40 ? `${key.slice(0, 40)}…` : key}` });
    }
  }
  return undefined;
}
