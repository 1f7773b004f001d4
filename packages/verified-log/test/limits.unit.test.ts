import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth, limitProblem } from '../src/index.ts';
import { DEFAULT_LIMITS, firstProblem, nestsDeeperThan } from '../src/limits.ts';

// The read path's shortcuts must say what the full checks say: they only skip work.

const small = { ...DEFAULT_LIMITS, depth: 4, stringLength: 6, arrayLength: 3, objectKeys: 3 };

describe('limit checks', () => {
  it('limitProblem names the same first problem as the full walk (the walk it had before its cheaper first look), or none', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(limitProblem(value, small)).toBe(firstProblem(value, small));
        expect(limitProblem(value, DEFAULT_LIMITS)).toBe(firstProblem(value, DEFAULT_LIMITS));
      }),
      { numRuns: 3000 },
    );
  });

  it('nestsDeeperThan says what jsonDepth says, brackets inside strings included', () => {
    const text = fc.oneof(
      fc.jsonValue({ maxDepth: 8 }).map((value) => JSON.stringify(value)),
      fc.array(fc.constantFrom('{', '[', '}', ']', '"', '\\', 'a', ':', ','), { maxLength: 60 }).map((chars) => chars.join('')),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6 }), (json, max) => {
        expect(nestsDeeperThan(json, max)).toBe(jsonDepth(json, max) > max);
      }),
      { numRuns: 5000 },
    );
    expect(nestsDeeperThan(`${'['.repeat(17)}${']'.repeat(17)}`, 16)).toBe(true);
    expect(nestsDeeperThan(`["${'['.repeat(40)}"]`, 16)).toBe(false);
  });
});
