import { describe, expect, test } from 'vitest';
import {
  createUpcasterRegistry,
  CURRENT_SCHEMA_VERSION,
  DecisionAnswerBody,
  defaultUpcasterRegistry,
  describeErrorCode,
  DOMAIN_ERROR_CODES,
  DomainError,
  evolveSide,
  EVENT_TYPES,
  foldSide,
  initialSideState,
  isDomainError,
  ItemEvent,
  parseEvent,
  ProposeDecisionBody,
  StatusReportBody,
} from '../src/index.ts';
import type { DomainErrorCode, DomainEvent } from '../src/index.ts';
import { completed, coordinator, decisionIdOf, envelope, ITEM, minute, uuidV7 } from './fixtures.ts';

const D1 = decisionIdOf(1);
const oneOfEachType: DomainEvent[] = [
  { type: 'item.status-reported', data: { status: 'blocked', progress: 30, summary: 'Stuck', blockers: 'Funding', nextSteps: 'Ask', targetDate: '2025-12-31' } },
  { type: 'item.department-assigned', data: { department: 'Trade' } },
  { type: 'item.department-unassigned', data: { department: 'Trade' } },
  { type: 'decision.proposed', data: { decisionId: D1, kind: 'extend_deadline', rationale: 'Funding late', targetDate: '2026-03-31' } },
  { type: 'decision.approved', data: { decisionId: D1, comment: 'Fine' } },
  { type: 'decision.rejected', data: { decisionId: D1 } },
  { type: 'decision.withdrawn', data: { decisionId: D1 } },
  { type: 'stream.repaired', data: { fork: { topic: 'gdhk.gd.events', partition: 0, offset: '12', hash: 'ab'.repeat(32) }, reason: 'two writers after a failover' } },
];
const stored = (event: DomainEvent, streamVersion = 1) =>
  envelope(event, { side: 'gd', streamVersion, occurredAt: minute(streamVersion), actor: coordinator('gd'), eventId: uuidV7(streamVersion) });
const aReport = stored({ type: 'item.status-reported', data: completed });

function codeOf(run: () => unknown): DomainErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('event schemas', () => {
  test('cover every event type', () => {
    expect(oneOfEachType.map(({ type }) => type)).toStrictEqual([...EVENT_TYPES]);
  });

  test.each(oneOfEachType)('a stored $type event parses as itself', (event) => {
    const raw = JSON.parse(JSON.stringify(stored(event)));
    expect(parseEvent(raw)).toStrictEqual(raw);
  });

  test.each([
    ['an eventId that is not a UUID v7', { eventId: '3b241101-e2bb-4255-8caf-4136c566a962' }],
    ['a malformed item id', { itemId: '2019-3' }],
    ['an unknown side', { side: 'joint' }],
    ['stream version 0', { streamVersion: 0 }],
    ['a local time with an offset', { occurredAt: '2025-01-01T08:00:00+08:00' }],
    ['an unknown role', { actor: { userId: 'u', department: 'd', role: 'minister' } }],
    ['a signature of its own at version 2', { signature: { keyId: 'k', alg: 'Ed25519', value: 'x' } }],
    ['a commit link with another member', { commit: { prev: '0'.repeat(64), seal: 1 } }],
    ['an uppercase hash', { hash: 'A'.repeat(64) }],
    ['a short prevHash', { prevHash: '0'.repeat(63) }],
    ['an unknown envelope field', { extra: true }],
    ['blocked data without blockers', { data: { status: 'blocked', progress: 30, summary: 'Stuck' } }],
    ['completed data below 100', { data: { status: 'completed', progress: 90, summary: 'Done' } }],
    ['an unknown data field', { data: { ...completed, mood: 'happy' } }],
  ])('rejects %s', (_, change) => {
    expect(ItemEvent.safeParse({ ...aReport, ...change }).success).toBe(false);
    expect(codeOf(() => parseEvent({ ...aReport, ...change }))).toBe('GDHK_EVENT_INVALID');
  });

  test('accepts any sub-second precision in UTC', () => {
    expect(ItemEvent.safeParse({ ...aReport, occurredAt: '2025-01-01T00:00:00.123456Z' }).success).toBe(true);
  });
});

describe('request bodies', () => {
  test('ProposeDecisionBody needs targetDate exactly for extend_deadline', () => {
    const body = { itemId: ITEM, kind: 'extend_deadline', rationale: 'Later' };
    expect(ProposeDecisionBody.safeParse({ ...body, targetDate: '2025-12-31' }).success).toBe(true);
    const missing = ProposeDecisionBody.safeParse(body);
    expect(missing.error?.issues).toMatchObject([{ path: ['targetDate'], params: { code: 'GDHK_TARGET_DATE_REQUIRED' } }]);
    const extra = ProposeDecisionBody.safeParse({ ...body, kind: 'close_item', targetDate: '2025-12-31' });
    expect(extra.error?.issues).toMatchObject([{ path: ['targetDate'], params: { code: 'GDHK_TARGET_DATE_NOT_ALLOWED' } }]);
    expect(ProposeDecisionBody.safeParse({ ...body, itemId: 'item-3', targetDate: '2025-12-31' }).success).toBe(false);
  });

  test('StatusReportBody names every invalid field at once', () => {
    const result = StatusReportBody.safeParse({ status: 'blocked', progress: 101, summary: '' });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toStrictEqual(['blockers', 'progress', 'summary']);
  });

  test('DecisionAnswerBody takes an optional comment and nothing else', () => {
    expect(DecisionAnswerBody.safeParse({}).success).toBe(true);
    expect(DecisionAnswerBody.safeParse({ comment: 'ok' }).success).toBe(true);
    expect(DecisionAnswerBody.safeParse({ decisionId: D1 }).success).toBe(false);
  });
});

describe('parseEvent and upcasting', () => {
  // A synthetic v0 of item.status-reported that named progress "percent" and the summary "note".
  const v0 = (() => {
    const { progress, summary, ...rest } = completed;
    const { commit: _commit, ...fields } = aReport;
    return { ...fields, signature: { keyId: 'gd-key-1', alg: 'Ed25519', value: 'c2lnbmF0dXJl' }, schemaVersion: 0, data: { ...rest, percent: progress, note: summary } };
  })();
  const renameV0Fields = (event: Record<string, unknown>) => {
    const { percent, note, ...rest } = event['data'] as Record<string, unknown>;
    return { ...event, data: { ...rest, progress: percent, summary: note } };
  };

  test('the default registry lifts version 1 (signed on its own) to 2, and nothing older', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(2);
    for (const type of EVENT_TYPES) {
      expect(defaultUpcasterRegistry.upcasterFor(type, 0)).toBeUndefined();
      expect(defaultUpcasterRegistry.upcasterFor(type, 1)).toBeDefined();
    }
  });

  test('a version 1 event reads as version 2: its signature dropped, its commit link null', () => {
    const { commit: _commit, ...fields } = aReport;
    const v1 = { ...fields, schemaVersion: 1, signature: { keyId: 'gd-key-1', alg: 'Ed25519', value: 'c2lnbmF0dXJl' } };
    expect(parseEvent(v1)).toStrictEqual({ ...aReport, commit: null });
  });

  test('an older version without an upcaster cannot be read', () => {
    expect(codeOf(() => parseEvent(v0))).toBe('GDHK_EVENT_VERSION_UNSUPPORTED');
  });

  test('a registered upcaster lifts an old event to the current schema', () => {
    const registry = defaultUpcasterRegistry.register('item.status-reported', 0, renameV0Fields);
    expect(parseEvent(v0, registry)).toStrictEqual({ ...aReport, commit: null });
  });

  test('upcasters are registered per event type', () => {
    const registry = defaultUpcasterRegistry.register('item.department-assigned', 0, renameV0Fields);
    expect(codeOf(() => parseEvent(v0, registry))).toBe('GDHK_EVENT_VERSION_UNSUPPORTED');
  });

  test('an upcaster that yields an invalid event is caught by the current schema', () => {
    const registry = defaultUpcasterRegistry.register('item.status-reported', 0, (event) => event);
    expect(codeOf(() => parseEvent(v0, registry))).toBe('GDHK_EVENT_INVALID');
  });

  test('a version from the future is refused, not guessed at', () => {
    expect(codeOf(() => parseEvent({ ...aReport, schemaVersion: 3 }))).toBe('GDHK_EVENT_VERSION_UNSUPPORTED');
  });

  test.each([
    ['not an object', 'item.status-reported'],
    ['an unknown type', { ...aReport, type: 'item.deleted' }],
    ['a negative version', { ...aReport, schemaVersion: -1 }],
    ['a fractional version', { ...aReport, schemaVersion: 0.5 }],
  ])('%s is invalid', (_, raw) => {
    expect(codeOf(() => parseEvent(raw))).toBe('GDHK_EVENT_INVALID');
  });

  test('registries are values: registering returns a new one and leaves the old one alone', () => {
    const empty = createUpcasterRegistry();
    const registry = empty.register('item.status-reported', 0, renameV0Fields);
    expect(empty.upcasterFor('item.status-reported', 0)).toBeUndefined();
    expect(registry.upcasterFor('item.status-reported', 0)).toBe(renameV0Fields);
  });

  test('an upcaster is registered once, and only below the current version', () => {
    const registry = createUpcasterRegistry().register('item.status-reported', 0, renameV0Fields);
    expect(() => registry.register('item.status-reported', 0, renameV0Fields)).toThrow(RangeError);
    expect(() => registry.register('item.status-reported', 2, renameV0Fields)).toThrow(RangeError);
  });
});

describe('evolveSide', () => {
  test('takes only the next event of its own stream', () => {
    const state = foldSide('gd', ITEM, [aReport]);
    expect(codeOf(() => evolveSide(state, aReport))).toBe('GDHK_EVENT_OUT_OF_ORDER');
    expect(codeOf(() => evolveSide(initialSideState('hk', ITEM), aReport))).toBe('GDHK_EVENT_OUT_OF_ORDER');
    expect(codeOf(() => evolveSide(initialSideState('gd', '2019-04'), aReport))).toBe('GDHK_EVENT_OUT_OF_ORDER');
    expect(codeOf(() => evolveSide(initialSideState('gd', ITEM), stored(oneOfEachType[1] as DomainEvent, 2)))).toBe('GDHK_EVENT_OUT_OF_ORDER');
  });

  test('a stream exists only for a real side and item id', () => {
    expect(codeOf(() => initialSideState('gd', '19-3'))).toBe('GDHK_CONTEXT_MISMATCH');
  });

  test('folds assignments into a sorted set', () => {
    const events = ['Transport', 'Trade', 'Works'].map((department, index) =>
      stored({ type: 'item.department-assigned', data: { department } }, index + 1),
    );
    events.push(stored({ type: 'item.department-unassigned', data: { department: 'Transport' } }, 4));
    expect(foldSide('gd', ITEM, events).departments).toStrictEqual(['Trade', 'Works']);
  });
});

describe('error codes', () => {
  test('are stable GDHK_ strings, each with a kind and a title', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) {
      const description = describeErrorCode(code);
      expect(code).toMatch(/^GDHK_[A-Z_]+$/);
      expect(['forbidden', 'conflict', 'not_found', 'invalid']).toContain(description.kind);
      expect(description.title.length).toBeGreaterThan(0);
    }
  });

  test('a DomainError carries code, kind, message and details', () => {
    const error = new DomainError('GDHK_ITEM_CLOSED', '2019-03 is closed', { itemId: '2019-03' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'GDHK_ITEM_CLOSED', kind: 'conflict', message: '2019-03 is closed', details: { itemId: '2019-03' } });
    expect(new DomainError('GDHK_DECISION_NOT_FOUND').message).toBe(describeErrorCode('GDHK_DECISION_NOT_FOUND').title);
  });
});
