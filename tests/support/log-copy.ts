import { buildCheckpoint, buildCommitSeal, GENESIS_HASH, hashCommittedEvent, type CheckpointHead, type SigningKey } from '@gdhk/integrity';
import { writeTopic, type TopicRecord } from './audit.ts';
import type { LoggedRecord } from './log.ts';

type Json = Record<string, unknown>;

/**
 * A side topic's records re-written for another topic name exactly as its writer (holding the
 * side's key) would have written them there: seals name their topic, so each is signed again and
 * every hash after it follows. `edit` may change an event's content first (then re-hashed too).
 * Cosigned checkpoints are signed again in their chain, their heads taken from `observed` (the
 * other side's copy, `sealHashes` of it) where it has the seal, so that they cosign the copy.
 */
export function writtenFor(records: readonly LoggedRecord[], topic: string, key: SigningKey, options: { partitions?: number; edit?: (event: Json) => Json; observed?: ReadonlyMap<string, string> } = {}): TopicRecord[] {
  const { partitions = 3, edit = (event: Json) => event, observed = new Map<string, string>() } = options;
  const out: TopicRecord[] = [];
  let checkpoint = GENESIS_HASH;
  for (let partition = 0; partition < partitions; partition++) {
    let seal = { sequence: 0, hash: GENESIS_HASH };
    let commitPrev = GENESIS_HASH;
    let pending: string[] = [];
    const heads = new Map<string, string>();
    for (const record of records.filter((candidate) => candidate.partition === partition).sort((a, b) => Number(a.offset - b.offset))) {
      const value = record.value as Json;
      let written: Json;
      if (value.kind === 'gdhk.seal') {
        written = buildCommitSeal({ side: key.side, topic, partition, sequence: seal.sequence + 1, prevHash: seal.hash, eventHashes: pending, sealedAt: value.sealedAt as string }, key);
        seal = { sequence: written.sequence as number, hash: written.hash as string };
        commitPrev = seal.hash;
        pending = [];
      } else if (value.kind === 'gdhk.checkpoint') {
        const cosigned = (value.heads as CheckpointHead[]).map((head) => ({ ...head, sealHash: observed.get(`${head.partition}/${head.sequence}`) ?? head.sealHash }));
        written = buildCheckpoint({ side: key.side, observedSide: key.side === 'gd' ? 'hk' : 'gd', sequence: value.sequence as number, prevHash: checkpoint, observedAt: value.observedAt as string, heads: cosigned }, key);
        checkpoint = written.hash as string;
      } else {
        const { hash: _hash, prevHash: _prevHash, commit: _commit, ...content } = edit(value);
        written = hashCommittedEvent(content, heads.get(value.itemId as string) ?? GENESIS_HASH, commitPrev);
        heads.set(value.itemId as string, written.hash as string);
        commitPrev = written.hash as string;
        pending.push(commitPrev);
      }
      out.push({ partition, offset: String(record.offset), key: record.key, value: JSON.stringify(written), timestamp: record.timestamp });
    }
  }
  return out;
}

/** A copy's seals: `partition/sequence` → seal hash. */
export function sealHashes(records: readonly TopicRecord[]): Map<string, string> {
  const seals = new Map<string, string>();
  for (const record of records) {
    const value = JSON.parse(record.value ?? 'null') as Json | null;
    if (value?.kind === 'gdhk.seal') seals.set(`${value.partition as number}/${value.sequence as number}`, value.hash as string);
  }
  return seals;
}

/** Writes a copy of both side topics under `prefix` (`<prefix>.gd.events`, `<prefix>.hk.events`, 3 partitions each) and returns the prefix. */
export async function writeCopy(brokers: readonly string[], prefix: string, gd: readonly TopicRecord[], hk: readonly TopicRecord[]): Promise<string> {
  await writeTopic(brokers, `${prefix}.gd.events`, 3, gd);
  await writeTopic(brokers, `${prefix}.hk.events`, 3, hk);
  return prefix;
}
