import type { BatchObserver, LogFollower } from '@gdhk/eventlog';
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import type { SideLogWriter, WriterStatus } from './log-writer.ts';
import type { WriteModel } from './write-model.ts';

const WRITER_STATUSES: readonly WriterStatus[] = ['starting', 'ready', 'recovering', 'fenced', 'closed'];

/**
 * Write-path metrics: produce latency and batch sizes of the group commit, write-model lag,
 * writer state, idempotent replays and the records the fold refused. Request rates and latencies
 * by route and status come from the platform's `gdhk_http_request_duration_seconds`.
 */
export function sideMetrics(deps: { model: WriteModel }) {
  let writer: Pick<SideLogWriter, 'status'> | undefined;
  let follower: Pick<LogFollower, 'lag'> | undefined;
  const produceSeconds = new Histogram({
    name: 'gdhk_produce_duration_seconds',
    help: 'Time for one group-commit batch to be acknowledged by Kafka (acks=all, one transaction)',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [],
  });
  const batchSize = new Histogram({
    name: 'gdhk_produce_batch_size',
    help: 'Events per group-commit batch',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [],
  });
  const lag = new Gauge({
    name: 'gdhk_write_model_lag_events',
    help: 'Events in the side topics not yet folded into the write model',
    registers: [],
    collect() {
      if (follower) this.set(Number(follower.lag()));
    },
  });
  const events = new Gauge({
    name: 'gdhk_write_model_events',
    help: 'Events folded into the write model',
    registers: [],
    collect() {
      this.set(deps.model.eventCount);
    },
  });
  const writerState = new Gauge({
    name: 'gdhk_writer_state',
    help: 'The writer state: 1 for the current one (fenced means another instance of the side writes)',
    labelNames: ['state'] as const,
    registers: [],
    collect() {
      for (const state of WRITER_STATUSES) this.set({ state }, writer?.status === state ? 1 : 0);
    },
  });
  const remembered = new Gauge({
    name: 'gdhk_idempotency_keys_remembered',
    help: 'Idempotency keys (commands of this side) the write model remembers for replays: those within the idempotency window',
    registers: [],
    collect() {
      deps.model.forgetExpired();
      this.set(deps.model.commandCount);
    },
  });
  const replays = new Counter({
    name: 'gdhk_idempotent_replays_total',
    help: 'Writes answered with the first response of their Idempotency-Key, nothing written',
    registers: [],
  });
  const halted = new Gauge({
    name: 'gdhk_streams_halted',
    help: 'Items whose streams stopped verifying in the write model, by reason; such items take no writes',
    labelNames: ['reason'] as const,
    registers: [],
    collect() {
      this.reset();
      for (const [reason, count] of deps.model.haltedStreams()) this.set({ reason }, count);
    },
  });
  const quarantined = new Counter({
    name: 'gdhk_records_quarantined_total',
    help: 'Side-topic records that did not verify, by reason; reason "fork" halted its stream',
    labelNames: ['reason'] as const,
    registers: [],
  });
  const logResets = new Counter({
    name: 'gdhk_side_log_resets_total',
    help: 'Times the side topics turned out to be another log than this process folded (deleted and created again): it then stops folding and writing until restarted',
    registers: [],
  });
  const transactions = new Counter({
    name: 'gdhk_writer_transactions_total',
    help: 'Group-commit transactions by outcome: committed, or failed (aborted, or its outcome unknown until settled)',
    labelNames: ['outcome'] as const,
    registers: [],
  });
  const settled = new Counter({
    name: 'gdhk_write_outcomes_settled_total',
    help: 'Writes whose transaction failed, by outcome: not-written (failed before its commit was requested; decided again), or, for a failed commit, what the log said once settled: landed (answered 201), absent (decided again), unknown (503 GDHK_WRITE_OUTCOME_UNKNOWN)',
    labelNames: ['outcome'] as const,
    registers: [],
  });
  const observeBatch: BatchObserver = ({ size, seconds, ok }) => {
    produceSeconds.observe({ outcome: ok ? 'acknowledged' : 'failed' }, seconds);
    transactions.inc({ outcome: ok ? 'committed' : 'failed' });
    batchSize.observe(size);
  };
  return {
    observeBatch,
    observeReplay: () => replays.inc(),
    observeRejected: (reason: string) => quarantined.inc({ reason }),
    observeLogReset: () => logResets.inc(),
    observeSettled: (outcome: 'landed' | 'absent' | 'unknown' | 'not-written') => settled.inc({ outcome }),
    watchWriter(watched: Pick<SideLogWriter, 'status'>) {
      writer = watched;
    },
    watchFollower(watched: Pick<LogFollower, 'lag'>) {
      follower = watched;
    },
    register(registry: Registry) {
      for (const metric of [produceSeconds, batchSize, lag, events, writerState, remembered, replays, halted, quarantined, logResets, transactions, settled] as Metric[]) registry.registerMetric(metric);
    },
  };
}
