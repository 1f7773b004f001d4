import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readCurrentEvent } from '../src/event-reader.ts';
import { createUpcasterRegistry, DECISION_KINDS, defaultUpcasterRegistry, EVENT_TYPES, ItemEvent, parseEvent, ROLES, STATUSES } from '../src/index.ts';
import type { EventType } from '../src/index.ts';
import { uuidV7 } from './fixtures.ts';

// The compiled reader stands in for zod on the read path: where it answers, it must answer what
// zod answers (the same value, members in the same order); where it is unsure, zod decides.

const RUNS = { numRuns: 3000 };
const PROPERTY_TIMEOUT_MS = 120_000;

const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
/** Mostly a valid value, sometimes one of the near misses: most generated events are valid, each field is sometimes not. */
const mostly = <T,>(good: fc.Arbitrary<T>, ...misses: T[]): fc.Arbitrary<T> => (misses.length === 0 ? good : fc.oneof({ weight: 30, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom(...misses) }));
const text = (max: number) => mostly(fc.oneof(fc.stringMatching(/^\S[^]{0,20}$/), fc.constantFrom('x'.repeat(max), '项目进展', ' trailing ')), '', ' ', '\t\n', 'x'.repeat(max + 1));
const instant = mostly(
  fc.oneof(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString()), fc.constantFrom('2024-02-29T12:00:00Z', '2025-03-01T00:00:00.123456789Z', '2025-03-01T00:00:00Z')),
  '2025-02-29T00:00:00Z', '2025-03-01T00:00:00+08:00', '2025-03-01T24:00:00Z', '2025-03-01',
);
const date = mostly(fc.constantFrom('2025-03-01', '2024-02-29', '2000-02-29'), '2023-02-29', '1900-02-29', '2025-13-01', '2025-3-1', '2025-03-01T00:00:00Z');
const uuid = mostly(fc.oneof(fc.nat({ max: 1e9 }).map((n) => uuidV7(n)), fc.uuid({ version: 7 })), '00000000-0000-0000-0000-000000000000', 'not-a-uuid', '0190000d-0000-4000-8000-000000000001', '0190000D-0000-7000-8000-00000000000A');
const partialRecord = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T, required: (keyof T & string)[]) => fc.record(shape, { requiredKeys: required });

const dataOf: Record<EventType, fc.Arbitrary<Record<string, unknown>>> = {
  'item.status-reported': partialRecord(
    { status: mostly(fc.constantFrom(...STATUSES), 'done'), progress: mostly(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(100)), -1, 101, 50.5, Number.NaN), summary: text(4000), nextSteps: text(4000), blockers: text(4000), targetDate: date },
    ['status', 'progress', 'summary'],
  ),
  'item.department-assigned': fc.record({ department: mostly(fc.constantFrom('Trade', 'Trade\nOffice', '贸易'), ' Trade', 'Trade ', '', 'x'.repeat(201)) }),
  'item.department-unassigned': fc.record({ department: mostly(fc.constantFrom('Trade', 'x'.repeat(200)), ' ', '') }),
  'decision.proposed': partialRecord({ decisionId: uuid, kind: mostly(fc.constantFrom(...DECISION_KINDS), 'close'), rationale: text(4000), targetDate: date }, ['decisionId', 'kind', 'rationale']),
  'decision.approved': partialRecord({ decisionId: uuid, comment: text(4000) }, ['decisionId']),
  'decision.rejected': partialRecord({ decisionId: uuid, comment: text(4000) }, ['decisionId']),
  'decision.withdrawn': fc.record({ decisionId: uuid }),
  'stream.repaired': fc.record({
    fork: fc.record({ topic: mostly(fc.string({ minLength: 1, maxLength: 10 }), '', 'x'.repeat(250)), partition: mostly(fc.nat(), -1, 0.5), offset: mostly(fc.nat().map(String), '', '1a', '0'.repeat(21)), hash: hex }),
    reason: text(4000),
  }),
};

const eventArbitrary = fc.constantFrom(...EVENT_TYPES).chain((type) =>
  fc.record({
    eventId: uuid,
    schemaVersion: mostly(fc.constant(2), 1, 3, 0),
    side: mostly(fc.constantFrom('gd', 'hk'), 'xx', 'GD'),
    itemId: mostly(fc.constantFrom('2019-03', '2019-74'), '19-03', '2019-03 '),
    streamVersion: mostly(fc.integer({ min: 1, max: 1e6 }), 0, 1.5, 2 ** 53),
    occurredAt: instant,
    actor: fc.record({ userId: text(200), department: mostly(fc.string({ maxLength: 10 }), 'x'.repeat(201)), role: mostly(fc.constantFrom(...ROLES), 'admin') }),
    commandId: text(200),
    correlationId: text(200),
    causationId: mostly(text(200), null),
    prevHash: hex,
    hash: mostly(hex, 'A'.repeat(64)),
    commit: fc.oneof(fc.constant(null), fc.record({ prev: hex })),
    type: fc.constant(type),
    data: dataOf[type],
  }),
);

/** Mutations zod must see the same way: a member removed, replaced by any JSON value, or added; at the top or one level down. */
const mutation = fc.record({ where: fc.constantFrom('top', 'data', 'actor', 'commit', 'fork'), how: fc.constantFrom('none', 'delete', 'replace', 'add'), key: fc.oneof(fc.constantFrom('eventId', 'type', 'data', 'commit', 'status', 'department', 'role', 'prev', 'topic', 'targetDate', 'blockers', 'comment', '__proto__'), fc.string({ maxLength: 5 })), value: fc.jsonValue({ maxDepth: 2 }) });

function mutate(event: Record<string, unknown>, change: { where: string; how: string; key: string; value: unknown }): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  const data = copy.data as Record<string, unknown>;
  const target = (change.where === 'top' ? copy : change.where === 'data' ? data : change.where === 'fork' ? data.fork : copy[change.where]) as Record<string, unknown> | null | undefined;
  if (target === null || target === undefined || typeof target !== 'object') return copy;
  if (change.how === 'delete') Reflect.deleteProperty(target, change.key);
  if (change.how === 'replace' || change.how === 'add') Object.defineProperty(target, change.how === 'add' ? `${change.key}x` : change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
  // Through JSON once more: what a reader gets is always JSON.parse's output.
  return JSON.parse(JSON.stringify(copy)) as unknown;
}

describe('the compiled event reader agrees with the zod schemas', () => {
  test('where it answers, zod accepts and returns the same value, members in the same order', () => {
    let answered = 0;
    fc.assert(
      fc.property(eventArbitrary, mutation, (event, change) => {
        const value = mutate(event, change);
        const reference = ItemEvent.safeParse(value);
        const read = readCurrentEvent(value);
        if (read !== undefined) {
          answered += 1;
          expect(reference.success).toBe(true);
          expect(JSON.stringify(read)).toBe(JSON.stringify(reference.data));
          expect(read).toStrictEqual(reference.data);
        }
      }),
      RUNS,
    );
    // A reader that never answered would pass the property and save nothing.
    expect(answered).toBeGreaterThan(RUNS.numRuns / 20);
  }, PROPERTY_TIMEOUT_MS);

  test('it answers for every event zod accepts as it is read from the log (plain JSON)', () => {
    fc.assert(
      fc.property(eventArbitrary, (event) => {
        const value = JSON.parse(JSON.stringify(event)) as unknown;
        const reference = ItemEvent.safeParse(value);
        if (reference.success) expect(readCurrentEvent(value)).toStrictEqual(reference.data);
        else expect(readCurrentEvent(value)).toBeUndefined();
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT_MS);

  test('parseEvent gives what the zod path gives, version 1 events (upcast) included, refusals with the same issues', () => {
    // A registry equal to the default but another object: parseEvent takes the zod path for it.
    const zodOnly = EVENT_TYPES.reduce((registry, type) => {
      const upcast = defaultUpcasterRegistry.upcasterFor(type, 1);
      if (upcast === undefined) throw new Error(`no upcaster for ${type}`);
      return registry.register(type, 1, upcast);
    }, createUpcasterRegistry());
    const outcome = (parse: () => unknown) => {
      try {
        return { value: JSON.stringify(parse()) };
      } catch (error) {
        return { error: JSON.stringify(error, Object.getOwnPropertyNames(error).filter((name) => name !== 'stack')) };
      }
    };
    fc.assert(
      fc.property(eventArbitrary, mutation, fc.boolean(), (event, change, signed) => {
        const base = signed ? { ...event, schemaVersion: 1, commit: undefined, signature: { keyId: 'gd-1', alg: 'Ed25519', value: 'x' } } : event;
        const value = mutate(base, change);
        expect(outcome(() => parseEvent(value))).toStrictEqual(outcome(() => parseEvent(value, zodOnly)));
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT_MS);

  test('an object that is not plain JSON, or a member that is inherited, is left to zod', () => {
    const event = {
      eventId: uuidV7(1),
      schemaVersion: 2,
      side: 'gd',
      itemId: '2019-03',
      streamVersion: 1,
      occurredAt: '2025-03-01T00:00:00Z',
      actor: { userId: 'u', department: 'd', role: 'staff' },
      commandId: 'c',
      correlationId: 'c',
      causationId: 'c',
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
      commit: null,
      type: 'decision.approved',
      data: { decisionId: uuidV7(2) },
    };
    expect(readCurrentEvent(event)).toStrictEqual(ItemEvent.parse(event));
    expect(readCurrentEvent(Object.assign(Object.create({ extra: 1 }) as object, event))).toBeUndefined();
    expect(readCurrentEvent({ ...event, data: Object.assign(Object.create({ comment: 'inherited' }) as object, event.data) })).toBeUndefined();
    expect(readCurrentEvent({ ...event, data: { ...event.data, comment: undefined } })).toBeUndefined();
  });
});
