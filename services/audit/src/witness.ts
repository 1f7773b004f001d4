import type { Side } from '@gdhk/domain';
import { compareCheckpointsWithLog, type Checkpoint } from '@gdhk/integrity';
import type { Where } from '@gdhk/verified-log';
import type { AuditFailure, SealRun } from './stream-auditor.ts';

// Cosigned checkpoints ("witnessing", docs/contract.md "Checkpoint"): each side's verified
// checkpoints pin the other side's seals as it read them. Once every shard is done, the
// coordinator holds each cosigned head against the seals the audit itself verified on that side.

/** One head of a side's log that the other side cosigned and the log holds as cosigned. */
export interface CosignedHead {
  partition: number;
  sequence: number;
  sealHash: string;
  cosignedBy: Side;
  /** the latest of the cosigning side's checkpoints that cosigned this head */
  checkpointSequence: number;
  observedAt: string;
}

export interface WitnessSummary {
  /** checkpoint records read on both side topics, and how many verified (each failing one is a `bad_checkpoint` failure) */
  read: number;
  verified: number;
  /** distinct cosigned heads held against the log, and how many of them it lacks or holds otherwise (each a failure) */
  heads: { checked: number; missing: number; differing: number };
  /** per side, per partition, the highest seal the other side cosigned that the log holds as cosigned */
  latestCosigned: Record<Side, CosignedHead[]>;
}

export interface WitnessInput {
  topics: Record<Side, string>;
  read: number;
  sealRuns: readonly SealRun[];
  checkpoints: readonly { checkpoint: Checkpoint; where: Where }[];
}

/**
 * Every cosigned head against the seals as the audit read them: `head_missing` when the observed
 * side's partition holds no verified seal of that sequence, `head_differs` when it holds another
 * one. A head repeated by later checkpoints is one failure, at the first checkpoint that cosigned it.
 */
export function witness(input: WitnessInput): { summary: WitnessSummary; failures: AuditFailure[] } {
  const seals = new Map<Side, Map<number, Map<number, string>>>([['gd', new Map()], ['hk', new Map()]]);
  for (const run of input.sealRuns) {
    const side: Side | undefined = run.topic === input.topics.gd ? 'gd' : run.topic === input.topics.hk ? 'hk' : undefined;
    if (side === undefined) continue;
    const partition = seals.get(side)?.get(run.partition) ?? new Map<number, string>();
    run.hashes.forEach((hash, index) => partition.set(run.first + index, hash));
    seals.get(side)?.set(run.partition, partition);
  }
  const failures: AuditFailure[] = [];
  const seen = new Set<string>();
  const latest = new Map<string, CosignedHead>();
  const counts = { checked: 0, missing: 0, differing: 0 };
  // In each cosigning side's chain order, so "first" and "latest" are the chain's.
  const ordered = [...input.checkpoints].sort((a, b) => (a.checkpoint.side === b.checkpoint.side ? a.checkpoint.sequence - b.checkpoint.sequence : a.checkpoint.side < b.checkpoint.side ? -1 : 1));
  for (const { checkpoint, where } of ordered) {
    const observed = checkpoint.observedSide;
    const findings = compareCheckpointsWithLog({ side: observed, seals: seals.get(observed) ?? new Map() }, [checkpoint]);
    const failed = new Set(findings.map((finding) => `${finding.partition}/${finding.sequence}`));
    for (const head of checkpoint.heads) {
      const id = `${observed}/${head.partition}/${head.sequence}/${head.sealHash}`;
      if (!seen.has(id)) {
        seen.add(id);
        counts.checked += 1;
      }
      if (failed.has(`${head.partition}/${head.sequence}`)) continue;
      const key = `${observed}/${head.partition}`;
      const before = latest.get(key);
      if (before === undefined || head.sequence >= before.sequence) {
        latest.set(key, { partition: head.partition, sequence: head.sequence, sealHash: head.sealHash, cosignedBy: checkpoint.side, checkpointSequence: checkpoint.sequence, observedAt: checkpoint.observedAt });
      }
    }
    for (const finding of findings) {
      const id = `${observed}/${finding.partition}/${finding.sequence}/${finding.cosignedSeal}`;
      if (seen.has(`failed:${id}`)) continue;
      seen.add(`failed:${id}`);
      if (finding.problem === 'head_missing') counts.missing += 1;
      else counts.differing += 1;
      failures.push({
        topic: input.topics[observed],
        partition: finding.partition,
        offset: null,
        stream: null,
        reason: finding.problem,
        detail: `${finding.detail} (the checkpoint is at ${where.topic}/${where.partition}@${where.offset})`,
      });
    }
  }
  const latestOf = (side: Side): CosignedHead[] => [...latest.entries()].filter(([key]) => key.startsWith(`${side}/`)).map(([, head]) => head).sort((a, b) => a.partition - b.partition);
  return {
    summary: { read: input.read, verified: input.checkpoints.length, heads: counts, latestCosigned: { gd: latestOf('gd'), hk: latestOf('hk') } },
    failures,
  };
}
