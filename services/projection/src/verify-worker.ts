// A verification worker: the stateless, CPU-heavy half of verify-before-apply (Ed25519
// signature and event schema), so it runs beside the projection's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { readKeyRingFile } from '@gdhk/integrity';
import { checkRecords, type CheckRequest } from './record-check.ts';

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');
const ring = readKeyRingFile(String((workerData as { keySetFile: string }).keySetFile));

port.on('message', (request: CheckRequest) => {
  port.postMessage({ id: request.id, results: checkRecords(request.values, ring) });
});
