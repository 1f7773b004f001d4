import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJsonOmitting } from '../src/canonical.ts';
import { canonicalJson, CanonicalJsonError } from '../src/index.ts';
import { reorderKeys } from './fixtures.ts';

function numberFromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

describe('canonicalJson: RFC 8785 vectors', () => {
  it('sorts members by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
      + '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('serialises primitives and escapes strings as ECMAScript does (RFC 8785 §3.2.2)', () => {
    const input = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('matches the JCS reference "weird" test file', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign", "1": "One", "\u0080": "Control\u007f", "\ud83d\ude02": "Smiley",
      "\u00f6": "Latin Small Letter O With Diaeresis", "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }`) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",'
      + '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    [0x0000000000000000n, '0'],
    [0x8000000000000000n, '0'],
    [0x0000000000000001n, '5e-324'],
    [0x8000000000000001n, '-5e-324'],
    [0x7fefffffffffffffn, '1.7976931348623157e+308'],
    [0xffefffffffffffffn, '-1.7976931348623157e+308'],
    [0x4340000000000000n, '9007199254740992'],
    [0xc340000000000000n, '-9007199254740992'],
    [0x4430000000000000n, '295147905179352830000'],
    [0x44b52d02c7e14af5n, '9.999999999999997e+22'],
    [0x44b52d02c7e14af6n, '1e+23'],
    [0x44b52d02c7e14af7n, '1.0000000000000001e+23'],
    [0x444b1ae4d6e2ef4en, '999999999999999700000'],
    [0x444b1ae4d6e2ef4fn, '999999999999999900000'],
    [0x444b1ae4d6e2ef50n, '1e+21'],
    [0x3eb0c6f7a0b5ed8cn, '9.999999999999997e-7'],
    [0x3eb0c6f7a0b5ed8dn, '0.000001'],
    [0x41b3de4355555553n, '333333333.3333332'],
    [0x41b3de4355555554n, '333333333.33333325'],
    [0x41b3de4355555555n, '333333333.3333333'],
    [0x41b3de4355555556n, '333333333.3333334'],
    [0x41b3de4355555557n, '333333333.33333343'],
    [0xbecbf647612f3696n, '-0.0000033333333333333333'],
    [0x43143ff3c1cb0959n, '1424953923781206.2'],
  ])('serialises the IEEE 754 value 0x%s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    expect(canonicalJson(numberFromBits(bits))).toBe(expected);
  });

  it.each([
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [-0, '0'],
    [Number('333333333.33333329'), '333333333.3333333'],
    [100, '100'],
    [0.1, '0.1'],
  ])('serialises %s as %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('writes no whitespace and keeps array order', () => {
    expect(canonicalJson({ b: [3, 1, { d: 1, c: [] }], a: {} })).toBe('{"a":{},"b":[3,1,{"c":[],"d":1}]}');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('accepts objects without a prototype and a "__proto__" member read from JSON', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"__proto__":{"x":1},"a":1}');
  });
});

describe('canonicalJson: rejects what is not I-JSON', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };

  it.each<[string, unknown, RegExp]>([
    ['NaN', { a: [1, Number.NaN] }, /\$\.a\[1\]: NaN is not a JSON number/],
    ['Infinity', Infinity, /\$: Infinity is not a JSON number/],
    ['-Infinity', { n: -Infinity }, /\$\.n: -Infinity/],
    ['an undefined member', { a: 1, b: undefined }, /\$\.b: undefined is not a JSON value/],
    ['undefined itself', undefined, /\$: undefined is not a JSON value/],
    ['undefined in an array', [undefined], /\$\[0\]: undefined/],
    ['a function', { f: () => 1 }, /\$\.f: function is not a JSON value/],
    ['a bigint', { 'odd key': 1n }, /\$\["odd key"\]: bigint is not a JSON value/],
    ['a symbol', [Symbol('s')], /\$\[0\]: symbol is not a JSON value/],
    ['a Date', { at: new Date(0) }, /\$\.at: Date is not a plain JSON object/],
    ['a Map', new Map(), /\$: Map is not a plain JSON object/],
    ['an array hole', [1, , 3], /\$\[1\]: array hole/], // eslint-disable-line no-sparse-arrays
    ['a lone high surrogate', { s: 'a\ud800' }, /\$\.s: string contains a lone surrogate/],
    ['a lone low surrogate in a member name', { '\udc00': 1 }, /member name contains a lone surrogate/],
    ['a cycle', cyclic, /\$\.self\.back: circular reference/],
  ])('rejects %s with the path to it', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrowError(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrowError(message);
  });
});

describe('canonicalJson: properties', () => {
  const json = fc.jsonValue({ stringUnit: 'grapheme' });

  it('parses back to the same JSON value', () => {
    fc.assert(fc.property(json, (value) => {
      expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }), { numRuns: 1000 });
  });

  it('is a fixed point and ignores member order', () => {
    fc.assert(fc.property(json, fc.integer(), (value, seed) => {
      const canonical = canonicalJson(value);
      expect(canonicalJson(JSON.parse(canonical))).toBe(canonical);
      expect(canonicalJson(reorderKeys(value, seed))).toBe(canonical);
    }), { numRuns: 1000 });
  });

  it('agrees with JSON.stringify on everything but member order', () => {
    // JavaScript objects enumerate array-index keys ("0", "7") first whatever their insertion
    // order, so JSON.stringify cannot write JCS order for them: such values are left out here.
    const hasIndexKey = (value: unknown): boolean =>
      typeof value === 'object' && value !== null && (Array.isArray(value) ? value.some(hasIndexKey) : Object.entries(value).some(([key, child]) => /^(0|[1-9]\d*)$/.test(key) || hasIndexKey(child)));
    fc.assert(fc.property(json, (value) => {
      fc.pre(!hasIndexKey(value));
      const sorted = JSON.parse(canonicalJson(value)) as unknown;
      expect(canonicalJson(value)).toBe(JSON.stringify(sorted));
    }), { numRuns: 1000 });
  });

  it('orders an array-index key by its code units like any other (RFC 8785 §3.2.3)', () => {
    expect(canonicalJson({ '0': false, '': '', a: 1, '10': 2, '9': 3 })).toBe('{"":"","0":false,"10":2,"9":3,"a":1}');
  });
});

describe('canonicalJson on hostile depth', () => {
  it('refuses nesting past its bound with a CanonicalJsonError naming the path, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(deep)).toThrow(/nested deeper than 64/);
    const within = JSON.parse('['.repeat(64) + ']'.repeat(64)) as unknown;
    expect(canonicalJson(within)).toBe('['.repeat(64) + ']'.repeat(64));
  });
});

describe('canonicalJsonOmitting: the canonical JSON of { hash, signature, ...rest } without the copy', () => {
  const omit = new Set(['hash', 'signature']);
  const viaCopy = (record: object) => {
    const { hash: _hash, signature: _signature, ...rest } = record as Record<string, unknown>;
    return canonicalJson(rest);
  };
  const outcome = (serialise: () => string) => {
    try {
      return { text: serialise() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('gives the same text, or the same error, for any object', () => {
    const member = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }), fc.constantFrom('\ud800', Object.assign(new Array<number>(2), { 1: 2 }), Number.NaN, new Date(0)));
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('hash', 'signature', '\udc00', '10', '2')), member, { maxKeys: 8 }), (record) => {
        expect(outcome(() => canonicalJsonOmitting(record, omit))).toStrictEqual(outcome(() => viaCopy(record)));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a record that is no plain object, or contains itself, as its copy would be treated', () => {
    class Event {
      readonly type = 'x';
      readonly hash = 'h';
    }
    const looped: Record<string, unknown> = { a: 1, hash: 'h' };
    looped.self = looped;
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let depth = 0; depth < 70; depth += 1) at = (at.next = {}) as Record<string, unknown>;
    for (const record of [new Event(), looped, deep, Object.create(null) as object, [1, 2]]) {
      expect(outcome(() => canonicalJsonOmitting(record, omit))).toStrictEqual(outcome(() => viaCopy(record)));
    }
    expect(outcome(() => canonicalJsonOmitting(looped, omit)).error).toMatch(/\$\.self\.self: circular reference/);
  });
});
