import { parentPort, workerData } from 'node:worker_threads';
import { KeyRing } from '@gdhk/integrity';
import { StreamAuditor } from './stream-auditor.ts';
import { unpackChunk, type FromShard, type ShardInit, type ToShard } from './shard-protocol.ts';

// A verification worker: it owns whole partitions, so every stream it sees is complete and in
// log order, and it can verify and fold without asking anyone.
const port = parentPort;
if (port === null) throw new Error('shard-worker.ts runs as a worker thread');
const init = workerData as ShardInit;
const auditor = new StreamAuditor(KeyRing.fromJson(init.keySet), { until: init.until, checkpoint: init.checkpoint });

port.on('message', (message: ToShard) => {
  switch (message.kind) {
    case 'chunk': {
      const side = init.sides[message.topic];
      if (side === undefined) throw new Error(`shard worker: ${message.topic} is not a side topic`);
      let events = 0;
      for (const { offset, value } of unpackChunk(message)) {
        auditor.feed({ topic: message.topic, partition: message.partition, offset, side, value });
        events += 1;
      }
      port.postMessage({ kind: 'ack', seq: message.seq, events } satisfies FromShard);
      return;
    }
    case 'finish':
      port.postMessage({ kind: 'result', result: auditor.result() } satisfies FromShard);
      return;
    default: {
      const _exhaustive: never = message;
      return _exhaustive;
    }
  }
});
