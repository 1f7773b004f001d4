import { sign } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { checkpointFields, commitSealFields, contentHash, parseCheckpoint, parseCommitSeal, type Checkpoint, type CheckpointInput, type CommitSeal, type CommitSealInput, type Parsed, type SigningKey } from '@gdhk/integrity';

// Plain CommonJS, evaluated: the worker loads no module of ours, under vitest or plain node alike.
// The message signed is the UTF-8 bytes of the hex hash, as @gdhk/integrity's signHash signs it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { sign } = require('node:crypto');
parentPort.on('message', ({ id, hashes }) => {
  parentPort.postMessage({ id, signatures: hashes.map((hash) => sign(null, Buffer.from(hash, 'utf8'), workerData.key).toString('base64url')) });
});
`;

interface Batch {
  readonly hashes: string[];
  readonly settle: { resolve(signature: string): void; reject(error: Error): void }[];
}

/**
 * Builds commit seals exactly as @gdhk/integrity's `buildCommitSeal` does (Merkle root over the
 * event hashes, `hash` over the canonical JSON, Ed25519 signature over the hash), with the signing
 * — the one expensive step — done on a worker thread, so it runs beside the event loop instead of
 * on it. Hashes offered in one turn of the event loop (the seals of one transaction, one per
 * partition it touched) travel to the worker together.
 */
export class WorkerSealer {
  private worker: Worker | undefined;
  private readonly inFlight = new Map<number, Batch>();
  private next: Batch | undefined;
  private batches = 0;

  private readonly key: SigningKey;
  private readonly inlineUpTo: number;

  /**
   * `inlineUpTo`: a turn's batch of at most this many hashes is signed on the calling thread. An
   * Ed25519 signature costs ≈ 40 µs; handing a batch to the worker and back costs more than that
   * for a few (measured in the ingest bench), so the worker takes only the large batches.
   */
  constructor(key: SigningKey, options: { inlineUpTo?: number } = {}) {
    this.key = key;
    this.inlineUpTo = options.inlineUpTo ?? 8;
  }

  /** The signed seal of `input`; rejects with a TypeError on input that would not make a valid seal. */
  sealCommit(input: CommitSealInput): Promise<CommitSeal> {
    return this.signRecord(input.side, commitSealFields(input), parseCommitSeal, 'sealCommit');
  }

  /** The signed cosigned checkpoint of `input`, as `buildCheckpoint` makes it; rejects with a TypeError on input that would not make a valid one. */
  signCheckpoint(input: CheckpointInput): Promise<Checkpoint> {
    return this.signRecord(input.side, checkpointFields(input), parseCheckpoint, 'signCheckpoint');
  }

  /** Hashes the fields, signs the hash on the worker, and holds the record to its own parser. */
  private async signRecord<T>(side: string, fields: object, parse: (json: unknown) => Parsed<T>, what: string): Promise<T> {
    if (side !== this.key.side) throw new TypeError(`${what}: a ${side} record cannot be signed with ${this.key.side} key ${this.key.keyId}`);
    const hash = contentHash(fields);
    const value = await this.sign(hash);
    const parsed = parse({ ...fields, hash, signature: { keyId: this.key.keyId, alg: 'Ed25519', value } });
    if (!parsed.ok) throw new TypeError(`${what}: ${parsed.detail}`);
    return parsed.value;
  }

  private sign(hash: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (!this.next) {
        const batch: Batch = { hashes: [], settle: [] };
        this.next = batch;
        setImmediate(() => this.dispatch(batch));
      }
      this.next.hashes.push(hash);
      this.next.settle.push({ resolve, reject });
    });
  }

  private dispatch(batch: Batch): void {
    if (this.next === batch) this.next = undefined;
    if (batch.hashes.length <= this.inlineUpTo) {
      batch.hashes.forEach((hash, index) => {
        const settle = batch.settle[index];
        try {
          settle?.resolve(sign(null, Buffer.from(hash, 'utf8'), this.key.privateKey).toString('base64url'));
        } catch (error) {
          settle?.reject(error as Error);
        }
      });
      return;
    }
    const id = ++this.batches;
    this.inFlight.set(id, batch);
    this.started().postMessage({ id, hashes: batch.hashes });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerSource, { eval: true, workerData: { key: this.key.privateKey } });
    worker.unref();
    worker.on('message', ({ id, signatures }: { id: number; signatures: string[] }) => {
      const batch = this.inFlight.get(id);
      this.inFlight.delete(id);
      batch?.settle.forEach((settle, index) => {
        const signature = signatures[index];
        if (signature) settle.resolve(signature);
        else settle.reject(new Error('the signing worker returned no signature'));
      });
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const batch of this.inFlight.values()) for (const settle of batch.settle) settle.reject(error);
      this.inFlight.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the signing worker exited with ${code}`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
