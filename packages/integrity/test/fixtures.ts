import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { contentHash, generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sealEvent } from '../src/index.ts';
import type { SealedEvent, Side, SigningKey } from '../src/index.ts';

export const gdKey = generateSigningKey('gd-2025-01', 'gd');
export const hkKey = generateSigningKey('hk-2025-01', 'hk');
export const ring = new KeyRing({ keys: [publicKeyEntry(gdKey), publicKeyEntry(hkKey)] });
export const keyOf: Record<Side, SigningKey> = { gd: gdKey, hk: hkKey };
export const topicOf: Record<Side, string> = { gd: 'gdhk.gd.events', hk: 'gdhk.hk.events' };

export type UnsealedEvent = {
  eventId: string;
  type: string;
  schemaVersion: number;
  side: Side;
  itemId: string;
  streamVersion: number;
  occurredAt: string;
  actor: { userId: string; department: string; role: string };
  commandId: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
};

export type TestEvent = SealedEvent<UnsealedEvent>;

export function unsealedEvent(overrides: Partial<UnsealedEvent> = {}): UnsealedEvent {
  return {
    eventId: '0193f5a0-7c00-7000-8000-000000000001',
    type: 'item.status-reported',
    schemaVersion: 1,
    side: 'gd',
    itemId: '2019-03',
    streamVersion: 1,
    occurredAt: '2025-03-01T02:00:00.000Z',
    actor: { userId: 'u-1', department: 'Commerce Department', role: 'staff' },
    commandId: 'cmd-1',
    correlationId: 'corr-1',
    causationId: null,
    data: { status: 'in_progress', progress: 40, summary: '進展順利' },
    ...overrides,
  };
}

/** A valid stream of `count` events, each chained to the one before. */
export function sealChain(count: number, options: { side?: Side; itemId?: string; key?: SigningKey } = {}): TestEvent[] {
  const side = options.side ?? 'gd';
  const key = options.key ?? keyOf[side];
  const events: TestEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let version = 1; version <= count; version++) {
    const event = sealEvent(unsealedEvent({
      side,
      itemId: options.itemId ?? '2019-03',
      streamVersion: version,
      eventId: `event-${side}-${version}`,
      occurredAt: new Date(Date.UTC(2025, 2, 1, 0, version)).toISOString(),
      data: { status: 'in_progress', progress: version, summary: `step ${version}` },
    }), prevHash, key);
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

const itemIds = Array.from({ length: 74 }, (_, index) => `2019-${String(index + 1).padStart(2, '0')}`);

export const unsealedEventArbitrary: fc.Arbitrary<UnsealedEvent> = fc.record({
  eventId: fc.uuid({ version: 7 }),
  type: fc.constantFrom('item.status-reported', 'item.department-assigned', 'decision.proposed', 'decision.approved'),
  schemaVersion: fc.integer({ min: 1, max: 3 }),
  side: fc.constantFrom<Side>('gd', 'hk'),
  itemId: fc.constantFrom(...itemIds),
  streamVersion: fc.integer({ min: 1, max: 1_000 }),
  occurredAt: fc.date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
    .map((date) => date.toISOString()),
  actor: fc.record({
    userId: fc.string({ minLength: 1, unit: 'grapheme' }),
    department: fc.string({ minLength: 1, unit: 'grapheme' }),
    role: fc.constantFrom('staff', 'coordinator'),
  }),
  commandId: fc.uuid(),
  correlationId: fc.uuid(),
  causationId: fc.option(fc.uuid(), { nil: null }),
  data: fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }), { maxKeys: 6 }),
});

/** Deep copy with every object's members in a different (seeded) order. */
export function reorderKeys(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    for (let index = entries.length - 1; index > 0; index--) {
      const other = Math.floor(next() * (index + 1));
      [entries[index], entries[other]] = [entries[other] as [string, unknown], entries[index] as [string, unknown]];
    }
    const copy: Record<string, unknown> = {};
    for (const [key, member] of entries) defineMember(copy, key, visit(member));
    return copy;
  };
  return visit(value);
}

/** Plain assignment would treat a "__proto__" member as the prototype. */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// RFC 8032 §7.1, TEST 1.
const rfc8032SecretKey = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const rfc8032PublicKey = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
export const rfc8032EmptyMessageSignature = 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

export function rfc8032Pem(): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(rfc8032SecretKey, 'hex')]);
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
}

/** Events as they are under sealed commits (issue 12): chained and hashed, with no signature of their own. */
export function commitChain(count: number, options: { side?: Side; itemId?: string; start?: number } = {}): Record<string, unknown>[] {
  const side = options.side ?? 'gd';
  const start = options.start ?? 1;
  const events: Record<string, unknown>[] = [];
  let prevHash = GENESIS_HASH;
  for (let version = start; version < start + count; version++) {
    const event: Record<string, unknown> = {
      ...unsealedEvent({
        side,
        itemId: options.itemId ?? '2019-03',
        streamVersion: version,
        eventId: `event-${side}-${version}`,
        occurredAt: new Date(Date.UTC(2025, 2, 1, 0, version)).toISOString(),
        data: { status: 'in_progress', progress: version % 101, summary: `第 ${version} 步` },
      }),
      prevHash,
    };
    event.hash = contentHash(event);
    events.push(event);
    prevHash = event.hash as string;
  }
  return events;
}
