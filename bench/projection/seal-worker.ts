// Seals the events of a share of the streams (hash chain + Ed25519), in chunks the main thread produces.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { GENESIS_HASH, readSigningKeyFile, sealEvent } from '@gdhk/integrity';

const { keysDir, items, perStream, shard, shards, chunk } = workerData as { keysDir: string; items: string[]; perStream: number; shard: number; shards: number; chunk: number };
const keys = { gd: readSigningKeyFile(join(keysDir, 'signing-gd.json'), 'gd'), hk: readSigningKeyFile(join(keysDir, 'signing-hk.json'), 'hk') };
const mine = items.filter((_, index) => index % shards === shard);
const last = new Map<string, string>();
const base = Date.UTC(2025, 0, 1);
let out: { side: 'gd' | 'hk'; key: string; value: string }[] = [];
let serial = 0;
for (let version = 1; version <= perStream; version++) {
  for (const itemId of mine) {
    for (const side of ['gd', 'hk'] as const) {
      const stream = `${side}/${itemId}`;
      serial++;
      const id = (shard * 1e9 + serial).toString(16).padStart(12, '0');
      const sealed = sealEvent(
        {
          eventId: `01940000-0000-7000-8000-${id}`,
          type: 'item.status-reported',
          schemaVersion: 1,
          side,
          itemId,
          streamVersion: version,
          occurredAt: new Date(base + version * 60_000).toISOString(),
          actor: { userId: `${side}-bench`, department: 'Benchmark Bureau', role: 'coordinator' },
          commandId: `bench-${id}`,
          correlationId: `bench-${id}`,
          causationId: `bench-${id}`,
          data: { status: version % 11 === 5 ? 'blocked' : 'in_progress', progress: version % 100, summary: `Progress report ${version} on the works of this item`, ...(version % 11 === 5 ? { blockers: 'awaiting approval' } : {}) },
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
