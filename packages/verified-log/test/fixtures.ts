import { sign } from 'node:crypto';
import { evolveSide, initialSideState, type ItemEvent, type Side, type SideItemState } from '@gdhk/domain';
import { buildCommitSeal, generateSigningKey, GENESIS_HASH, hashCommittedEvent, KeyRing, publicKeyEntry, sealEvent, type CommitSeal, type CommitSealInput, type SigningKey } from '@gdhk/integrity';
import { LogReader, type LogShape, type ReadOptions, type SideRecord, type StreamLedger, type Verdict } from '../src/index.ts';

export const gdKey = generateSigningKey('gd-2026-01', 'gd');
export const hkKey = generateSigningKey('hk-2026-01', 'hk');
/** Retired a day before the base time: it may not sign anything after that. */
export const retiredGdKey = generateSigningKey('gd-2025-01', 'gd');
export const BASE = Date.UTC(2026, 11, 1, 4, 0, 0);
export const ring = new KeyRing({
  keys: [publicKeyEntry(gdKey), publicKeyEntry(hkKey), publicKeyEntry(retiredGdKey, { validUntil: new Date(BASE - 86_400_000).toISOString() })],
});
export const keyOf: Record<Side, SigningKey> = { gd: gdKey, hk: hkKey };
export const topics: Record<Side, string> = { gd: 't.gd.events', hk: 't.hk.events' };
export const ITEMS = Array.from({ length: 74 }, (_, index) => `2019-${String(index + 1).padStart(2, '0')}`);
const items = new Set(ITEMS);
export const PARTITIONS = 3;
export const partitionOf = (itemId: string) => Number(itemId.slice(5)) % PARTITIONS;
export const shape: LogShape = { topics, ring, isItem: (itemId) => items.has(itemId), partitionOf };

let eventNumber = 0;
const eventId = () => `0193f5a0-7c00-7000-8000-${(++eventNumber).toString(16).padStart(12, '0')}`;

export type Sealed = Record<string, unknown> & { streamVersion: number; hash: string; prevHash: string; occurredAt: string; itemId: string; side: Side };

/** A side's stream of one item, sealed as the side service seals it. */
export class StreamWriter {
  version = 0;
  prevHash = GENESIS_HASH;
  at = BASE;
  readonly side: Side;
  readonly itemId: string;
  constructor(side: Side, itemId: string) {
    this.side = side;
    this.itemId = itemId;
  }

  /** The next event, not yet taken as the head unless `commit` is called. */
  next(options: { summary?: string; at?: number; key?: SigningKey; type?: string; data?: Record<string, unknown>; prevHash?: string; version?: number } = {}): Sealed {
    return sealEvent(this.draft(options, 1), options.prevHash ?? this.prevHash, options.key ?? keyOf[this.side]) as unknown as Sealed;
  }

  /** The next event in schema version 2: no signature, linked to its transaction by `commitPrev`. */
  nextCommitted(commitPrev: string, options: Parameters<StreamWriter['next']>[0] = {}): Sealed {
    return hashCommittedEvent(this.draft(options, 2), options.prevHash ?? this.prevHash, commitPrev) as unknown as Sealed;
  }

  private draft(options: Parameters<StreamWriter['next']>[0] = {}, schemaVersion: number) {
    const occurredAt = new Date(options.at ?? this.at + 1000).toISOString();
    return {
        eventId: eventId(),
        type: options.type ?? 'item.status-reported',
        schemaVersion,
        side: this.side,
        itemId: this.itemId,
        streamVersion: options.version ?? this.version + 1,
        occurredAt,
        actor: { userId: `${this.side}-coordinator`, department: 'Coordination Office', role: 'coordinator' },
        commandId: `cmd-${eventNumber}`,
        correlationId: `corr-${eventNumber}`,
        causationId: `cmd-${eventNumber}`,
        data: options.data ?? { status: 'in_progress', progress: 10, summary: options.summary ?? `report ${this.version + 1}` },
      };
  }

  commit(event: Sealed): Sealed {
    this.version = event.streamVersion;
    this.prevHash = event.hash;
    this.at = Date.parse(event.occurredAt);
    return event;
  }

  /** The next event, taken as the head. */
  append(options: Parameters<StreamWriter['next']>[0] = {}): Sealed {
    return this.commit(this.next(options));
  }
}

let offset = 0;
/** The record a side topic holds for `value`, appended by the broker at `appendedAt` (default: the event's own time). */
export function recordOf(value: unknown, overrides: Partial<SideRecord> = {}): SideRecord {
  const event = value as Partial<Sealed>;
  const side = event.side === 'hk' ? 'hk' : 'gd';
  const itemId = typeof event.itemId === 'string' ? event.itemId : '2019-01';
  return {
    topic: topics[side],
    partition: partitionOf(itemId),
    offset: String(offset++),
    key: itemId,
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: String(typeof event.occurredAt === 'string' ? Date.parse(event.occurredAt) : BASE),
    ...overrides,
  };
}

/** Re-signs an event's hash with another key, as a holder of that key could. */
export function resign(event: Sealed, key: SigningKey): Sealed {
  const value = sign(null, Buffer.from(event.hash, 'hex'), key.privateKey).toString('base64url');
  return { ...event, signature: { keyId: key.keyId, alg: 'Ed25519', value } };
}

/** The domain fold of one stream, as a consumer would keep it: refuses what the domain refuses. */
export class Folds {
  readonly states = new Map<string, SideItemState>();
  accept = (event: ItemEvent): string | undefined => {
    const stream = `${event.side}/${event.itemId}`;
    try {
      this.states.set(stream, evolveSide(this.states.get(stream) ?? initialSideState(event.side, event.itemId), event));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

/** One record through a fresh reader over `ledger`: for version 1 events, whose verdict comes at once. */
export function verifyRecord(record: SideRecord, logShape: LogShape, ledger: StreamLedger, options: ReadOptions = {}): Verdict {
  const verdicts = new LogReader(logShape, { ledger }).read(record, options);
  const own = verdicts.at(-1);
  if (!own || verdicts.length !== 1) throw new Error(`expected one verdict, got ${verdicts.length}`);
  return own;
}

/**
 * One partition of a side topic as a version 2 writer fills it: its own offsets from 0, its seal
 * chain, and transactions of events each ending with their seal.
 */
export class SealedPartition {
  sequence = 0;
  sealHash = GENESIS_HASH;
  offset = 0;
  readonly side: Side;
  readonly partition: number;
  constructor(side: Side, partition: number) {
    this.side = side;
    this.partition = partition;
  }

  /** `value` as the next record of the partition. */
  record(value: unknown, overrides: Partial<SideRecord> = {}): SideRecord {
    // A seal's broker timestamp is its `sealedAt`, when that is a string at all: the fuzz tests
    // put any JSON value there, and the fixture must not be what throws.
    const sealedAt = typeof value === 'object' && value !== null && 'kind' in value ? (value as { sealedAt?: unknown }).sealedAt : undefined;
    const timestamp = typeof sealedAt === 'string' ? { timestamp: String(Date.parse(sealedAt)) } : {};
    return recordOf(value, { topic: topics[this.side], partition: this.partition, offset: String(this.offset++), ...timestamp, ...overrides });
  }

  /**
   * The next events of `streams` (one each, in order) linked as one transaction, and its seal.
   * `keep: false` leaves the streams and the seal chain as they were (a transaction no reader should take).
   */
  transaction(streams: readonly StreamWriter[], options: { seal?: Partial<CommitSealInput>; key?: SigningKey; keep?: boolean; events?: (events: Sealed[]) => Sealed[] } = {}): { events: Sealed[]; seal: CommitSeal; records: () => SideRecord[] } {
    let prev = this.sealHash;
    const saved = streams.map((stream) => ({ stream, version: stream.version, prevHash: stream.prevHash, at: stream.at }));
    const written = streams.map((stream) => {
      const event = stream.commit(stream.nextCommitted(prev));
      prev = event.hash;
      return event;
    });
    const events = options.events?.(written) ?? written;
    const sealedAt = events.at(-1)?.occurredAt ?? new Date(BASE).toISOString();
    const seal = buildCommitSeal(
      { side: this.side, topic: topics[this.side], partition: this.partition, sequence: this.sequence + 1, prevHash: this.sealHash, eventHashes: events.map((event) => event.hash), sealedAt, ...options.seal },
      options.key ?? keyOf[this.side],
    );
    if (options.keep === false) {
      for (const { stream, version, prevHash, at } of saved) Object.assign(stream, { version, prevHash, at });
    } else {
      this.sequence = seal.sequence;
      this.sealHash = seal.hash;
    }
    return { events, seal, records: () => [...events.map((event) => this.record(event)), this.record(seal)] };
  }
}
