import { parentPort, workerData } from 'node:worker_threads';
import { catalogue2019 } from '@gdhk/catalogue';
// The partitioner alone: the whole package would load both Kafka clients into every worker.
import { itemPartitioner } from '@gdhk/eventlog/partitioner';
import { KeyRing } from '@gdhk/integrity';
import { StreamAuditor } from './stream-auditor.ts';
import { shardInit, unpackChunk, type FromShard, type ToShard } from './shard-protocol.ts';

// A verification worker: it owns whole partitions, so every stream it sees is complete and in
// log order, and it can verify and fold without asking anyone.
const port = parentPort;
if (port === null) throw new Error('shard-worker.ts runs as a worker thread');
const init = shardInit.parse(workerData);
const topicOf = (side: 'gd' | 'hk') => Object.entries(init.sides).find(([, candidate]) => candidate === side)?.[0] ?? '';
const shape = { topics: { gd: topicOf('gd'), hk: topicOf('hk') }, ring: new KeyRing(init.keySet), isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf: itemPartitioner(init.partitionCount), ...(init.maxSkewMs === undefined ? {} : { maxSkewMs: init.maxSkewMs }) };
const auditor = new StreamAuditor(shape, { until: init.until, checkpoint: init.checkpoint });

port.on('message', (message: ToShard) => {
  switch (message.kind) {
    case 'chunk': {
      let events = 0;
      for (const record of unpackChunk(message)) {
        auditor.feed(record);
        events += 1;
      }
      port.postMessage({ kind: 'ack', seq: message.seq, events } satisfies FromShard);
      return;
    }
    case 'finish':
      auditor.finish();
      port.postMessage({ kind: 'result', result: auditor.result() } satisfies FromShard);
      return;
    default: {
      const _exhaustive: never = message;
      return _exhaustive;
    }
  }
});
