// Writes the events of a share of the partitions for the replay benchmark, both sides, hash-chained
// per stream exactly as the side services write them: mostly status reports, with department
// changes and decisions (GD proposes, HK approves) mixed in so the fold does real work.
// Format 2 (the services' own since sealed commits): events linked per partition by
// `commit.prev`, every `perSeal` events of a side's partition closed by one signed seal, chained
// per partition. Format 1: one signature per event, as logs written before sealed commits hold.
// A worker owns whole partitions, so each partition's seal chain is written by one hand, in order.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { itemPartitioner } from '@gdhk/eventlog';
import { buildCommitSeal, GENESIS_HASH, hashCommittedEvent, readSigningKeyFile, sealEvent } from '@gdhk/integrity';

type Side = 'gd' | 'hk';
const { keysDir, items, perStream, shard, shards, chunk, partitions, format, perSeal, topics } = workerData as {
  keysDir: string;
  items: string[];
  perStream: number;
  shard: number;
  shards: number;
  chunk: number;
  partitions: number;
  format: 1 | 2;
  perSeal: number;
  topics: Record<Side, string>;
};
const keys = { gd: readSigningKeyFile(join(keysDir, 'signing-gd.json'), 'gd'), hk: readSigningKeyFile(join(keysDir, 'signing-hk.json'), 'hk') };
const partitionOf = itemPartitioner(partitions);
const mine = items.filter((itemId) => partitionOf(itemId) % shards === shard);
const last = new Map<string, string>();
const base = Date.UTC(2025, 0, 1);
const hex = (value: number) => value.toString(16).padStart(12, '0');
let out: { side: Side; partition: number; key: string; value: string }[] = [];
let serial = 0;

/** Per side partition: its seal chain and the events of the transaction still open on it. */
const open = new Map<string, { side: Side; partition: number; sequence: number; sealHash: string; commitPrev: string; hashes: string[]; occurredAt: string }>();

function emit(entry: { side: Side; partition: number; key: string; value: string }): void {
  out.push(entry);
  if (out.length >= chunk) {
    parentPort?.postMessage(out);
    out = [];
  }
}

function closeTransaction(state: NonNullable<ReturnType<typeof open.get>>): void {
  if (state.hashes.length === 0) return;
  const seal = buildCommitSeal({ side: state.side, topic: topics[state.side], partition: state.partition, sequence: state.sequence + 1, prevHash: state.sealHash, eventHashes: state.hashes, sealedAt: state.occurredAt }, keys[state.side]);
  Object.assign(state, { sequence: seal.sequence, sealHash: seal.hash, commitPrev: seal.hash, hashes: [] });
  emit({ side: state.side, partition: state.partition, key: 'gdhk.seal', value: JSON.stringify(seal) });
}

function dataOf(side: 'gd' | 'hk', itemNumber: number, version: number): { type: string; data: Record<string, unknown> } {
  const decisionId = `01940000-0000-7000-9000-${hex(itemNumber * 1e6 + version)}`;
  if (version % 25 === 7) {
    return side === 'gd'
      ? { type: 'decision.proposed', data: { decisionId, kind: 'escalate', rationale: `Escalation ${version} to the joint conference` } }
      : { type: 'decision.approved', data: { decisionId, comment: 'Agreed' } };
  }
  if (version % 25 === 19) {
    return { type: Math.floor(version / 25) % 2 === 0 ? 'item.department-assigned' : 'item.department-unassigned', data: { department: 'Benchmark Bureau' } };
  }
  const blocked = version % 11 === 5;
  return { type: 'item.status-reported', data: { status: blocked ? 'blocked' : 'in_progress', progress: version % 100, summary: `Progress report ${version} on the works of this item`, ...(blocked ? { blockers: 'awaiting approval' } : {}) } };
}

for (let version = 1; version <= perStream; version++) {
  for (const itemId of mine) {
    const itemNumber = Number(itemId.slice(5));
    const partition = partitionOf(itemId);
    for (const side of ['gd', 'hk'] as const) {
      const stream = `${side}/${itemId}`;
      serial++;
      const id = hex(shard * 1e10 + serial);
      const { type, data } = dataOf(side, itemNumber, version);
      const draft = {
        eventId: `01940000-0000-7000-8000-${id}`,
        type,
        schemaVersion: format,
        side,
        itemId,
        streamVersion: version,
        // HK answers a second after GD proposes.
        occurredAt: new Date(base + version * 60_000 + (side === 'hk' ? 1000 : 0)).toISOString(),
        actor: { userId: `${side}-bench`, department: 'Benchmark Bureau', role: 'coordinator' },
        commandId: `bench-${id}`,
        correlationId: `bench-${id}`,
        causationId: `bench-${id}`,
        data,
      };
      if (format === 1) {
        const sealed = sealEvent(draft, last.get(stream) ?? GENESIS_HASH, keys[side]);
        last.set(stream, sealed.hash);
        emit({ side, partition, key: itemId, value: JSON.stringify(sealed) });
        continue;
      }
      const key = `${side}/${partition}`;
      let state = open.get(key);
      if (!state) {
        state = { side, partition, sequence: 0, sealHash: GENESIS_HASH, commitPrev: GENESIS_HASH, hashes: [], occurredAt: draft.occurredAt };
        open.set(key, state);
      }
      const event = hashCommittedEvent(draft, last.get(stream) ?? GENESIS_HASH, state.commitPrev);
      last.set(stream, event.hash);
      Object.assign(state, { commitPrev: event.hash, occurredAt: event.occurredAt });
      state.hashes.push(event.hash);
      emit({ side, partition, key: itemId, value: JSON.stringify(event) });
      if (state.hashes.length >= perSeal) closeTransaction(state);
    }
  }
}
for (const state of open.values()) closeTransaction(state);
parentPort?.postMessage(out);
parentPort?.postMessage('done');
