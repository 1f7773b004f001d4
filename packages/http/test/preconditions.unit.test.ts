import { describe, expect, it } from 'vitest';
import { expectedVersionOf, isIdempotencyKey, parseIdempotencyKey, parseIfMatch } from '../src/preconditions.ts';
import { HttpProblem } from '../src/problem.ts';

const statusOf = (run: () => unknown) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof HttpProblem ? error.status : 'not a problem';
  }
};

describe('If-Match (RFC 9110 strong comparison)', () => {
  it('parses *, one tag, a list, and refuses malformed fields', () => {
    expect(parseIfMatch('*')).toBe('*');
    expect(parseIfMatch('"3"')).toEqual([{ weak: false, opaque: '3' }]);
    expect(parseIfMatch('W/"3", "4"')).toEqual([{ weak: true, opaque: '3' }, { weak: false, opaque: '4' }]);
    for (const malformed of ['3', '"3', 'W/3', '"a"b"', '', ' , ', '**']) expect(parseIfMatch(malformed)).toBeUndefined();
  });

  it('* and an absent field expect no version; a weak tag never matches (412); the current one of several is taken', () => {
    expect(expectedVersionOf(undefined, 2)).toBeUndefined();
    expect(expectedVersionOf('*', 2)).toBeUndefined();
    expect(expectedVersionOf('"2"', 2)).toBe(2);
    expect(expectedVersionOf('"1"', 2)).toBe(1);
    expect(expectedVersionOf('"1", "2"', 2)).toBe(2);
    expect(statusOf(() => expectedVersionOf('W/"2"', 2))).toBe(412);
    expect(statusOf(() => expectedVersionOf('"abc"', 2))).toBe(412);
    expect(statusOf(() => expectedVersionOf('2', 2))).toBe(400);
  });
});

describe('Idempotency-Key (a structured-field string)', () => {
  it('reads the quoted and the bare spelling as one key', () => {
    expect(parseIdempotencyKey('"key-0001"')).toBe('key-0001');
    expect(parseIdempotencyKey('key-0001')).toBe('key-0001');
    expect(parseIdempotencyKey('"with \\"quote\\" and \\\\ slash"')).toBe('with "quote" and \\ slash');
    expect(parseIdempotencyKey('"with space ok"')).toBe('with space ok');
  });

  it('refuses what is neither', () => {
    for (const bad of ['"unterminated', '"bad \\n escape"', '"trailing" x', 'bare space', 'ke"y', '"tab\there"']) expect(parseIdempotencyKey(bad)).toBeUndefined();
    expect(isIdempotencyKey('"short"')).toBe(false);
    expect(isIdempotencyKey(`"${'k'.repeat(201)}"`)).toBe(false);
  });
});
