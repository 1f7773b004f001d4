// A verification worker: the stateless, CPU-heavy half of verify-before-apply (inspection of
// each record's text, the Ed25519 signature of a seal or a version 1 event), so it runs beside the projection's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { catalogue2019 } from '@gdhk/catalogue';
import { itemPartitioner } from '@gdhk/eventlog/partitioner';
import { readKeyRingFile } from '@gdhk/integrity';
import { checkRecords, poolShape, unpackRecords, type CheckRequest } from './record-check.ts';

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');
const init = poolShape.parse(workerData);
const shape = { topics: init.topics, ring: readKeyRingFile(init.keySetFile), isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf: itemPartitioner(init.partitionCount), maxSkewMs: init.maxSkewMs };

port.on('message', (request: CheckRequest) => {
  port.postMessage({ id: request.id, results: checkRecords(unpackRecords(request), shape) });
});
