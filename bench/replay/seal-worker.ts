// Seals the events of a share of the items for the replay benchmark, both sides, hash-chained
// per stream exactly as the side services write them: mostly status reports, with department
// changes and decisions (GD proposes, HK approves) mixed in so the fold does real work.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { GENESIS_HASH, readSigningKeyFile, sealEvent } from '@gdhk/integrity';

const { keysDir, items, perStream, shard, shards, chunk } = workerData as { keysDir: string; items: string[]; perStream: number; shard: number; shards: number; chunk: number };
const keys = { gd: readSigningKeyFile(join(keysDir, 'signing-gd.json'), 'gd'), hk: readSigningKeyFile(join(keysDir, 'signing-hk.json'), 'hk') };
const mine = items.filter((_, index) => index % shards === shard);
const last = new Map<string, string>();
const base = Date.UTC(2025, 0, 1);
const hex = (value: number) => value.toString(16).padStart(12, '0');
let out: { side: 'gd' | 'hk'; key: string; value: string }[] = [];
let serial = 0;

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
    for (const side of ['gd', 'hk'] as const) {
      const stream = `${side}/${itemId}`;
      serial++;
      const id = hex(shard * 1e10 + serial);
      const { type, data } = dataOf(side, itemNumber, version);
      const sealed = sealEvent(
        {
          eventId: `01940000-0000-7000-8000-${id}`,
          type,
          schemaVersion: 1,
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
        },
        last.get(stream) ?? GENESIS_HASH,
        keys[side],
      );
      last.set(stream, sealed.hash);
      out.push({ side, key: itemId, value: JSON.stringify(sealed) });
      if (out.length >= chunk) {
        parentPort?.postMessage(out);
        out = [];
      }
    }
  }
}
parentPort?.postMessage(out);
parentPort?.postMessage('done');
