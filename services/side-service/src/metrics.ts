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
  // Each metric is declared once, here, and `register` registers what was declared, in this order.
  const declared: Metric[] = [];
  const declare = <M extends Metric>(metric: M): M => {
    declared.push(metric);
    return metric;
  };
  const counter = <L extends string = never>(name: string, help: string, labelNames: readonly L[] = []) => declare(new Counter<L>({ name, help, labelNames, registers: [] }));
  const gauge = <L extends string = never>(name: string, help: string, collect: (this: Gauge<L>) => void, labelNames: readonly L[] = []) => declare(new Gauge<L>({ name, help, labelNames, collect, registers: [] }));
  const histogram = <L extends string = never>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []) => declare(new Histogram<L>({ name, help, labelNames, buckets, registers: [] }));

  const produceSeconds = histogram('gdhk_produce_duration_seconds', 'Time for one group-commit batch to be acknowledged by Kafka (acks=all, one transaction)', [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], ['outcome']);
  const batchSize = histogram('gdhk_produce_batch_size', 'Events per group-commit batch', [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]);
  gauge('gdhk_write_model_lag_events', 'Events in the side topics not yet folded into the write model', function () {
    if (follower) this.set(Number(follower.lag()));
  });
  gauge('gdhk_write_model_events', 'Events folded into the write model', function () {
    this.set(deps.model.eventCount);
  });
  gauge('gdhk_writer_state', 'The writer state: 1 for the current one (fenced means another instance of the side writes)', function () {
    for (const state of WRITER_STATUSES) this.set({ state }, writer?.status === state ? 1 : 0);
  }, ['state']);
  gauge('gdhk_idempotency_keys_remembered', 'Idempotency keys (commands of this side) the write model remembers for replays: those within the idempotency window', function () {
    deps.model.forgetExpired();
    this.set(deps.model.commandCount);
  });
  const replays = counter('gdhk_idempotent_replays_total', 'Writes answered with the first response of their Idempotency-Key, nothing written');
  gauge('gdhk_streams_halted', 'Items whose streams stopped verifying in the write model, by reason; such items take no writes', function () {
    this.reset();
    for (const [reason, count] of deps.model.haltedStreams()) this.set({ reason }, count);
  }, ['reason']);
  const quarantined = counter('gdhk_records_quarantined_total', 'Side-topic records that did not verify, by reason; reason "fork" halted its stream', ['reason']);
  const logResets = counter('gdhk_side_log_resets_total', 'Times the side topics turned out to be another log than this process folded (deleted and created again): it then stops folding and writing until restarted');
  const transactions = counter('gdhk_writer_transactions_total', 'Group-commit transactions by outcome: committed, or failed (aborted, or its outcome unknown until settled)', ['outcome']);
  const settled = counter(
    'gdhk_write_outcomes_settled_total',
    'Writes whose transaction failed, by outcome: not-written (failed before its commit was requested; decided again), or, for a failed commit, what the log said once settled: landed (answered 201), absent (decided again), unknown (503 GDHK_WRITE_OUTCOME_UNKNOWN)',
    ['outcome'],
  );
  const checkpoints = counter('gdhk_checkpoints_written_total', "Cosigned checkpoints this process committed to its side's topic (docs/contract.md, \"Checkpoint\")");
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
    observeCheckpoint: () => checkpoints.inc(),
    observeSettled: (outcome: 'landed' | 'absent' | 'unknown' | 'not-written') => settled.inc({ outcome }),
    watchWriter(watched: Pick<SideLogWriter, 'status'>) {
      writer = watched;
    },
    watchFollower(watched: Pick<LogFollower, 'lag'>) {
      follower = watched;
    },
    register(registry: Registry) {
      for (const metric of declared) registry.registerMetric(metric);
    },
  };
}
