import { Worker } from 'node:worker_threads';
import type { LogShape } from '@gdhk/verified-log';
import { checkRecords, packRecords, type PoolShape, type PostedRecord, type RecordCheck } from './record-check.ts';

// The worker module is TypeScript, run as it is by Node's type stripping like every other module.
const workerModule = new URL('./verify-worker.ts', import.meta.url);

interface Pending {
  resolve(results: RecordCheck[]): void;
  reject(error: Error): void;
}

/**
 * Spreads the inspection of a batch's records (JSON, schema, canonical form and hash, the
 * signature of a seal or of a version 1 event) over worker threads, which would otherwise cap the
 * apply rate on the main thread (`checkRecords`). With no workers, or for a small batch, the
 * checks run inline.
 */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;
  private readonly shape: LogShape;

  constructor(shape: LogShape, workerShape: PoolShape, size: number) {
    this.shape = shape;
    for (let index = 0; index < size; index++) {
      const worker = new Worker(workerModule, { workerData: workerShape });
      worker.on('message', (message: { id: number; results: RecordCheck[] }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiting?.resolve(message.results);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`verification worker exited with ${code}`));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Per record: what its inspection found (`checkRecords`). */
  async check(values: readonly PostedRecord[]): Promise<RecordCheck[]> {
    if (this.failure) throw this.failure;
    if (this.workers.length === 0 || values.length < 16) return checkRecords(values, this.shape);
    const chunk = Math.ceil(values.length / this.workers.length);
    const parts = await Promise.all(
      this.workers.map((worker, index) => {
        const slice = values.slice(index * chunk, (index + 1) * chunk);
        if (slice.length === 0) return Promise.resolve([]);
        const id = this.nextId++;
        const request = packRecords(id, slice);
        return new Promise<RecordCheck[]>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          // The values travel in one transferred buffer: a fetched record's value is a view of
          // its whole fetch response, which structured clone would copy once per record.
          worker.postMessage(request, [request.values.buffer]);
        });
      }),
    );
    return parts.flat();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
