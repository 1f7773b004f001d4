import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommitSeal, ensureDevKeySet, GENESIS_HASH, hashCommittedEvent, readKeyRingFile, readSigningKeyFile, sealEvent, type DevKeySet } from '@gdhk/integrity';
import { catalogue2019 } from '@gdhk/catalogue';
import { itemPartitioner } from '@gdhk/eventlog';
import { checkedText, checkRecords, type PostedRecord } from '../src/record-check.ts';
import { VerifyPool } from '../src/verify-pool.ts';

/** A status report of gd/2019-03, version `index + 1`, before its hash. */
function report(index: number, schemaVersion: 1 | 2, occurredAt: string) {
  return {
    eventId: `0193f5a0-7c00-7000-8000-${String(index).padStart(12, '0')}`,
    type: 'item.status-reported',
    schemaVersion,
    side: 'gd',
    itemId: '2019-03',
    streamVersion: index + 1,
    occurredAt,
    actor: { userId: 'u-1', department: 'Commerce Department', role: 'staff' },
    commandId: `cmd-${index}`,
    correlationId: `corr-${index}`,
    causationId: `cmd-${index}`,
    data: { status: 'in_progress', progress: index, summary: `step ${index}` },
  };
}

// The pool's worker threads load verify-worker.ts with Node's own type stripping (vitest
// transforms only this thread's modules): a worker that needed a loader would fail here.
describe('VerifyPool', () => {
  let keysDir: string;
  let keys: DevKeySet;
  beforeAll(async () => {
    keysDir = mkdtempSync(join(tmpdir(), 'gdhk-verify-pool-'));
    keys = await ensureDevKeySet(keysDir);
  });
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  it('checks a batch on its worker threads exactly as the inline checks do', async () => {
    const key = readSigningKeyFile(keys.signingKeyFiles.gd, 'gd');
    const ring = readKeyRingFile(keys.keySetFile);
    const values = Array.from({ length: 40 }, (_, index) =>
      JSON.stringify(
        sealEvent(
          report(index, 1, new Date().toISOString()),
          GENESIS_HASH,
          key,
        ),
      ),
    );
    const forged = { ...JSON.parse(values[0] ?? '{}'), signature: { keyId: JSON.parse(values[0] ?? '{}').signature.keyId, alg: 'Ed25519', value: 'A'.repeat(86) } };
    values.push('not json', JSON.stringify({ ...JSON.parse(values[0] ?? '{}'), hash: 'f'.repeat(64) }), JSON.stringify(forged));
    const topics = { gd: 't.gd.events', hk: 't.hk.events' };
    const partitionOf = itemPartitioner(3);
    const records: PostedRecord[] = values.map((value, index) => ({ topic: topics.gd, partition: partitionOf('2019-03'), offset: String(index), key: '2019-03', value: Buffer.from(value), timestamp: String(Date.now()) }));
    const shape = { topics, ring, isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf, maxSkewMs: 300_000 };

    const pool = new VerifyPool(shape, { keySetFile: keys.keySetFile, topics, partitionCount: 3, maxSkewMs: 300_000 }, 2);
    try {
      expect(pool.size).toBe(2);
      const results = await pool.check(records);
      expect(results).toEqual(checkRecords(records, shape));
      expect(results.slice(0, 40).every((check) => check.signed)).toBe(true);
      expect(results.slice(40)).toEqual([{ signed: false }, { signed: false }, { signed: false }]);
    } finally {
      await pool.close();
    }
  });

  it('hands back a sealed commit as its workers parsed it, and nothing for a record that failed', async () => {
    const key = readSigningKeyFile(keys.signingKeyFiles.gd, 'gd');
    const ring = readKeyRingFile(keys.keySetFile);
    const topics = { gd: 't.gd.events', hk: 't.hk.events' };
    const partitionOf = itemPartitioner(3);
    const partition = partitionOf('2019-03');
    const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    let prev = GENESIS_HASH;
    const events = Array.from({ length: 20 }, (_, index) => {
      const event = hashCommittedEvent(
report(index, 2, now),
        prev,
        prev,
      );
      prev = event.hash;
      return event;
    });
    const seal = buildCommitSeal({ side: 'gd', topic: topics.gd, partition, sequence: 1, prevHash: GENESIS_HASH, eventHashes: events.map((event) => event.hash), sealedAt: now }, key);
    const tampered = { ...events[3], data: { status: 'in_progress', progress: 99, summary: 'changed' } };
    const values = [...events.map((event) => JSON.stringify(event)), JSON.stringify(seal), JSON.stringify(tampered)];
    const records: PostedRecord[] = values.map((value, index) => ({ topic: topics.gd, partition, offset: String(index), key: index === 20 ? 'gdhk.seal' : '2019-03', value: Buffer.from(value), timestamp: String(Date.now()) }));
    const shape = { topics, ring, isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf, maxSkewMs: 300_000 };

    const pool = new VerifyPool(shape, { keySetFile: keys.keySetFile, topics, partitionCount: 3, maxSkewMs: 300_000 }, 2);
    try {
      const results = await pool.check(records);
      expect(results).toEqual(checkRecords(records, shape));
      expect(results.slice(0, 20).map((check) => check.event?.eventId)).toEqual(events.map((event) => event.eventId));
      expect(results[20]?.seal).toEqual(seal);
      expect(results[21]).toEqual({ signed: false });
      expect(checkedText(results[21])).toBeUndefined();
      expect(checkedText(results[20])?.seal('')).toEqual(seal);
    } finally {
      await pool.close();
    }
  });
});
