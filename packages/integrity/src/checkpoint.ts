import { z } from 'zod';
import type { KeyRing, Side, SigningKey } from './keys.ts';
import { buildSignedRecord, genesisRule, hexHashSchema, instantSchema, parseWith, partitionSchema, sideSchema, signatureSchema, startsChainOnlyAtOne, verifySignedRecord } from './signed-record.ts';
import type { Parsed, RecordCheck } from './signed-record.ts';

export const CHECKPOINT_KIND = 'gdhk.checkpoint';

// Far above any topic's partition count; bounds the work a hostile record can ask for.
const maxHeads = 4096;

const headSchema = z.strictObject({
  partition: partitionSchema,
  sequence: z.int().min(1),
  sealHash: hexHashSchema,
});

/**
 * A side's signed statement of the other side's latest seal on each partition, as it read them
 * (issue 12): once cosigned, a head cannot later vanish from, or differ in, the other side's log
 * without the audit seeing it.
 */
export const checkpointSchema = z.strictObject({
  kind: z.literal(CHECKPOINT_KIND),
  schemaVersion: z.literal(1),
  side: sideSchema,
  observedSide: sideSchema,
  sequence: z.int().min(1),
  prevHash: hexHashSchema,
  observedAt: instantSchema,
  heads: z.array(headSchema).min(1).max(maxHeads)
    .refine((heads) => heads.every((head, index) => index === 0 || head.partition > (heads[index - 1] as { partition: number }).partition), 'heads in strictly ascending partition order, one per partition'),
  hash: hexHashSchema,
  signature: signatureSchema,
})
  .refine((checkpoint) => checkpoint.observedSide !== checkpoint.side, { message: 'a side cosigns the other side\'s seals', path: ['observedSide'] })
  .refine(startsChainOnlyAtOne, genesisRule);

export type Checkpoint = z.infer<typeof checkpointSchema>;
export type CheckpointHead = Checkpoint['heads'][number];

export type CheckpointInput = {
  /** The cosigning side; its key signs. */
  side: Side;
  observedSide: Side;
  /** 1 for the side's first checkpoint, then one more for each. */
  sequence: number;
  /** The `hash` of the side's previous checkpoint; GENESIS_HASH for sequence 1. */
  prevHash: string;
  observedAt: string;
  /** The latest seal read on each partition of the observed side's topic that has one. */
  heads: readonly CheckpointHead[];
};

/** The checkpoint without `hash` and `signature` (heads sorted by partition): what its hash covers. */
export function checkpointFields(input: CheckpointInput): Omit<Checkpoint, 'hash' | 'signature'> {
  return {
    kind: CHECKPOINT_KIND,
    schemaVersion: 1 as const,
    side: input.side,
    observedSide: input.observedSide,
    sequence: input.sequence,
    prevHash: input.prevHash,
    observedAt: input.observedAt,
    heads: [...input.heads]
      .sort((a, b) => a.partition - b.partition)
      .map(({ partition, sequence, sealHash }) => ({ partition, sequence, sealHash })),
  };
}

/** Builds and signs a checkpoint (heads sorted by partition); throws a TypeError on input that would not make a valid one. */
export function buildCheckpoint(input: CheckpointInput, key: SigningKey): Checkpoint {
  return buildSignedRecord(checkpointSchema, checkpointFields(input), key, 'buildCheckpoint');
}

/** A checkpoint from untrusted JSON, or why it is not one; never throws. */
export function parseCheckpoint(json: unknown): Parsed<Checkpoint> {
  return parseWith(checkpointSchema, json, 'checkpoint');
}

/** The checkpoint's hash, then its key (listed, of the cosigning side, valid at `observedAt`), then its signature. */
export function verifyCheckpoint(checkpoint: Checkpoint, ring: KeyRing): RecordCheck {
  return verifySignedRecord(checkpoint, { side: checkpoint.side, at: checkpoint.observedAt }, ring);
}

/** A side's seals as the auditor read them from its topic: partition → sequence → seal hash. */
export type SealChains = ReadonlyMap<number, ReadonlyMap<number, string>>;

export type CheckpointFinding = {
  /**
   * `head_missing`: the log has no seal of that sequence on that partition (truncated, or the
   * cosigner was shown seals that never reached this log); `head_differs`: it has another seal
   * there (rewritten, or a split view: two logs shown to two readers).
   */
  problem: 'head_missing' | 'head_differs';
  checkpoint: { side: Side; sequence: number; hash: string; observedAt: string };
  partition: number;
  sequence: number;
  cosignedSeal: string;
  loggedSeal: string | null;
  detail: string;
};

/**
 * Every head of the other side's (verified) checkpoints that `log` does not hold as cosigned,
 * in the order given. Checkpoints observing a side other than `log.side` are not about this
 * log and are passed over. A log that has grown past a head is consistent with it.
 */
export function compareCheckpointsWithLog(log: { side: Side; seals: SealChains }, checkpoints: readonly Checkpoint[]): CheckpointFinding[] {
  const findings: CheckpointFinding[] = [];
  for (const checkpoint of checkpoints) {
    if (checkpoint.observedSide !== log.side) continue;
    const about = { side: checkpoint.side, sequence: checkpoint.sequence, hash: checkpoint.hash, observedAt: checkpoint.observedAt };
    for (const head of checkpoint.heads) {
      const logged = log.seals.get(head.partition)?.get(head.sequence);
      if (logged === head.sealHash) continue;
      const where = `${log.side} partition ${head.partition} seal ${head.sequence}`;
      const cosigned = `${checkpoint.side} checkpoint ${checkpoint.sequence} (${checkpoint.observedAt}) cosigned ${where} as ${head.sealHash}`;
      findings.push({
        problem: logged === undefined ? 'head_missing' : 'head_differs',
        checkpoint: about,
        partition: head.partition,
        sequence: head.sequence,
        cosignedSeal: head.sealHash,
        loggedSeal: logged ?? null,
        detail: logged === undefined ? `${cosigned}; the log has no such seal` : `${cosigned}; the log holds ${logged}`,
      });
    }
  }
  return findings;
}
