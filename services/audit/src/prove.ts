import { catalogue2019 } from '@gdhk/catalogue';
import { topicNames } from '@gdhk/config';
import { itemPartitioner, SideLog } from '@gdhk/eventlog';
import { buildInclusionProof, KeyRing, type InclusionProof, type KeySet } from '@gdhk/integrity';
import { LogReader, type LogShape, type SideRecord, type Where } from '@gdhk/verified-log';
import { readKeySet } from './replay.ts';

/** What `audit prove` found for one event id. */
export type ProofSearch =
  | { readonly found: true; readonly proof: InclusionProof; readonly event: Where; readonly seal: Where }
  | { readonly found: false; readonly reason: 'not_in_log' | 'not_sealed' | 'quarantined'; readonly detail: string };

/**
 * Reads records in log order through the verified log and builds the inclusion proof of one
 * event once a seal that verified covers it (docs/contract.md, "Inclusion proof"). An event of
 * schema version 1 has no seal — its own signature is what proves it — and a record that was
 * quarantined proves nothing; either is said, never thrown.
 */
export class Prover {
  readonly #reader: LogReader;
  readonly #keySet: KeySet;
  readonly #eventId: string;
  #result: ProofSearch | undefined;

  constructor(shape: LogShape, keySet: KeySet, eventId: string) {
    this.#reader = new LogReader(shape);
    this.#keySet = keySet;
    this.#eventId = eventId;
  }

  /** True once the search is decided (the caller may stop reading). */
  read(record: SideRecord): boolean {
    if (this.#result?.found) return true;
    for (const verdict of this.#reader.read(record)) {
      if (verdict.kind === 'sealed') {
        const index = verdict.covered.findIndex((candidate) => candidate.event.eventId === this.#eventId);
        const candidate = verdict.covered[index];
        if (!candidate) continue;
        const key = this.#keySet.keys.find((entry) => entry.keyId === verdict.seal.signature.keyId);
        // The reader verified the seal against this key set: its key is listed.
        if (!key) throw new Error(`the key set lost key ${verdict.seal.signature.keyId}`);
        const proof = buildInclusionProof({ event: JSON.parse(candidate.json) as Record<string, unknown>, eventHashes: verdict.covered.map((covered) => covered.hash), seal: verdict.seal, key });
        this.#result = { found: true, proof, event: candidate.where, seal: verdict.where };
        return true;
      }
      if ((verdict.kind === 'applied' || verdict.kind === 'duplicate' || verdict.kind === 'repaired') && verdict.candidate.event.eventId === this.#eventId && verdict.candidate.commitPrev === null) {
        this.#result ??= { found: false, reason: 'not_sealed', detail: `event ${this.#eventId} (${at(verdict.candidate.where)}) is of schema version 1: it is signed on its own, and no seal covers it` };
      }
      if (verdict.kind === 'quarantined' && verdict.text !== undefined && verdict.text.includes(this.#eventId)) {
        this.#result ??= { found: false, reason: 'quarantined', detail: `the record at ${at(verdict.where)} that names ${this.#eventId} was quarantined: ${verdict.reason}: ${verdict.detail}` };
      }
    }
    return false;
  }

  result(): ProofSearch {
    return this.#result ?? { found: false, reason: 'not_in_log', detail: `no event ${this.#eventId} under a seal that verifies is in the log` };
  }
}

const at = (where: Where) => `${where.topic}/${where.partition}@${where.offset}`;

export interface ProveOptions {
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly keySetFile: string;
  readonly eventId: string;
  readonly maxSkewMs: number;
}

/** Reads both side topics from their start, as the replay does, until the event's seal is read. */
export async function proveEvent(options: ProveOptions): Promise<ProofSearch> {
  const keySet = readKeySet(options.keySetFile);
  const topics = topicNames(options.topicPrefix).side;
  const log = await SideLog.open({ brokers: options.brokers, topics: [topics.gd, topics.hk] });
  try {
    const partitionCount = log.ranges.filter((range) => range.topic === topics.gd).length;
    const shape: LogShape = { topics, ring: new KeyRing(keySet), isItem: (itemId) => catalogue2019.has(itemId), partitionOf: itemPartitioner(partitionCount), maxSkewMs: options.maxSkewMs };
    const prover = new Prover(shape, keySet, options.eventId);
    await log.read((chunk) => {
      chunk.offsets.forEach((offset, index) => {
        const value = chunk.values[index] ?? null;
        const key = chunk.keys[index] ?? null;
        prover.read({ topic: chunk.topic, partition: chunk.partition, offset: offset.toString(), key, value, timestamp: (chunk.timestamps[index] ?? -1n).toString() });
      });
    });
    return prover.result();
  } finally {
    await log.close();
  }
}
