import type { LogShape, SideRecord } from '@gdhk/verified-log';
import { generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sealEvent, type KeySet, type SigningKey } from '@gdhk/integrity';
import type { Actor, DecisionKind, Side } from '@gdhk/domain';

export const keys: Record<Side, SigningKey> = { gd: generateSigningKey('gd-test-1', 'gd'), hk: generateSigningKey('hk-test-1', 'hk') };
export const keySet: KeySet = { keys: [publicKeyEntry(keys.gd), publicKeyEntry(keys.hk)] };
const ring = new KeyRing(keySet);

let counter = 0;
/** A UUID v7 with a running counter: distinct and in order. */
export function uuidV7(): string {
  counter += 1;
  return `01900000-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

const coordinator = (side: Side): Actor => ({ userId: `${side}-coordinator`, department: '', role: 'coordinator' });

export type Sealed = Record<string, unknown> & { hash: string; streamVersion: number; itemId: string; side: Side };

/** Seals events per (side, item) stream, chained as a side service would. */
export class Ledger {
  readonly #last = new Map<string, { version: number; hash: string }>();
  #clock = Date.parse('2025-03-01T00:00:00Z');

  at(iso: string): this {
    this.#clock = Date.parse(iso);
    return this;
  }

  append(side: Side, itemId: string, type: string, data: Record<string, unknown>, options: { actor?: Actor; key?: SigningKey } = {}): Sealed {
    const stream = `${side}/${itemId}`;
    const last = this.#last.get(stream) ?? { version: 0, hash: GENESIS_HASH };
    this.#clock += 1000;
    const commandId = uuidV7();
    const unsealed = {
      eventId: uuidV7(),
      type,
      schemaVersion: 1,
      side,
      itemId,
      streamVersion: last.version + 1,
      occurredAt: new Date(this.#clock).toISOString(),
      actor: options.actor ?? coordinator(side),
      commandId,
      correlationId: commandId,
      causationId: commandId,
      data,
    };
    const sealed = sealEvent(unsealed, last.hash, options.key ?? keys[side]) as unknown as Sealed;
    this.#last.set(stream, { version: sealed.streamVersion, hash: sealed.hash });
    return sealed;
  }

  report(side: Side, itemId: string, progress = 50, status = 'in_progress'): Sealed {
    return this.append(side, itemId, 'item.status-reported', { status, progress, summary: `progress ${progress}` });
  }

  propose(side: Side, itemId: string, kind: DecisionKind, decisionId = uuidV7()): Sealed {
    return this.append(side, itemId, 'decision.proposed', { decisionId, kind, rationale: `we should ${kind}`, ...(kind === 'extend_deadline' ? { targetDate: '2026-12-31' } : {}) });
  }

  answer(side: Side, itemId: string, type: 'decision.approved' | 'decision.rejected' | 'decision.withdrawn', decisionId: string): Sealed {
    return this.append(side, itemId, type, { decisionId });
  }
}

/** The log the audit tests read: every item on partition 0 of `t.gd.events` / `t.hk.events`. */
export const shape: LogShape = { topics: { gd: 't.gd.events', hk: 't.hk.events' }, ring, isItem: (itemId) => /^2019-\d{2}$/.test(itemId), partitionOf: () => 0 };

/** The record a side topic holds for a sealed event (or any value), appended when it occurred. */
export function recordOf(value: Sealed | string, offset: number | string, overrides: Partial<SideRecord> = {}): SideRecord {
  const event = typeof value === 'string' ? undefined : value;
  return {
    topic: shape.topics[event?.side ?? 'gd'],
    partition: 0,
    offset: String(offset),
    key: event?.itemId ?? null,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    timestamp: String(event ? Date.parse(event.occurredAt as string) : Date.parse('2025-03-01T00:00:00Z')),
    ...overrides,
  };
}
