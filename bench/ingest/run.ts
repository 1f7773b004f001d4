// `node bench/ingest/run.ts [--cluster 3] [--duration 30] [--connections 96] [--users 64] [--raw-batch 500]`
//
// Sustained status reports over HTTP against the real gd-service process and real Kafka
// (autocannon, unique Idempotency-Key per request, 64 users spread over the 74 items), then, in
// the same run, the raw kafkajs producer sending the same kind of pre-built sealed events in
// batches with acks=all. With `--cluster 3` the same measurement runs twice in one invocation:
// on a single broker, then on a three-broker cluster (replication factor 3, min.insync.replicas
// 2), and the ratio of the two acknowledged rates is reported. Ends with one JSON line
// {"bench", "machine", "results"}.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { catalogue2019 } from '@gdhk/catalogue';
import { benchKafka, benchKeys, benchTopics, machineInfo, machineNote, percentile, startSideService, statusReportFactory, type BenchKeys } from '../lib.ts';

const { values } = parseArgs({
  options: {
    cluster: { type: 'string' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '96' },
    users: { type: 'string', default: '64' },
    'raw-batch': { type: 'string', default: '500' },
    'raw-events': { type: 'string', default: '200000' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rawBatch = Number(values['raw-batch']);
const clusterNodes = values.cluster === undefined ? undefined : Number(values.cluster);
if (clusterNodes !== undefined && !(Number.isInteger(clusterNodes) && clusterNodes >= 1)) throw new Error(`--cluster must be a node count, got ${values.cluster}`);

const items = catalogue2019.items().map((item) => item.id);
const keys = await benchKeys();

interface Measurement {
  kafka: string;
  acknowledged: number;
  acknowledgedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  meanEventsPerTransaction: number;
  serviceCpuMicrosPerWrite: number | null;
  serviceCpuCores: number;
  rawBatchedPerSecond: number;
  rawTransactionalPerSecond: number;
  ratioToRawBatched: number;
}

async function measure(nodes: number | undefined, keySet: BenchKeys): Promise<Measurement> {
  const kafka = await benchKafka(nodes);
  const topics = await benchTopics(kafka.brokers, 'ingest', 6, kafka.replicationFactor);
  console.error(`[ingest] kafka: ${kafka.source} (${kafka.brokers.join(',')}); ${machineNote()}`);
  try {
    // The rate limit stays on (its cost is part of the path) but above what 64 users can reach.
    const service = await startSideService({ side: 'gd', brokers: kafka.brokers, prefix: topics.prefix, keysDir: keySet.dir, env: { RATE_LIMIT_PER_MINUTE: '10000000' } });
    const tokens = await Promise.all(Array.from({ length: Number(values.users) }, (_, i) => keySet.token('gd', 'coordinator', `bench-user-${i}`, 'Bench Department')));

    let n = 0;
    const load = (seconds: number) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: service.url,
            connections,
            duration: seconds,
            timeout: 10,
            requests: [
              {
                method: 'POST',
                setupRequest: (request) => {
                  n += 1;
                  return {
                    ...request,
                    path: `/v1/items/${items[n % items.length]}/status`,
                    headers: {
                      'content-type': 'application/json',
                      authorization: `Bearer ${tokens[n % tokens.length]}`,
                      'idempotency-key': randomUUID(),
                    },
                    body: JSON.stringify({ status: 'in_progress', progress: n % 100, summary: `Benchmark report ${n}: works are progressing as planned`, nextSteps: 'Continue' }),
                  };
                },
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        );
      });

    await load(Number(values.warmup));
    const metricsBefore = await scrape(service.url);
    const cpuBefore = service.cpuMs();
    const http = await load(duration);
    const cpuAfter = service.cpuMs();
    const metricsAfter = await scrape(service.url);
    const created = http.statusCodeStats['201']?.count ?? 0;
    const httpRate = created / duration;
    const batches = metricsAfter.batchCount - metricsBefore.batchCount;
    const meanBatch = batches > 0 ? (metricsAfter.batchSum - metricsBefore.batchSum) / batches : Number.NaN;
    await service.stop();

    // The raw producer, on the same brokers, partition count and replication, with the same kind of event.
    const rawTopic = `${topics.prefix}.raw`;
    const client = new Kafka({ clientId: 'bench-raw', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 6, replicationFactor: kafka.replicationFactor }], waitForLeaders: true });
    await admin.disconnect();
    const nextEvent = statusReportFactory('gd', keySet.dir, items);
    const events = Array.from({ length: Number(values['raw-events']) }, () => {
      const event = nextEvent();
      return { key: String(event.itemId), value: JSON.stringify(event) };
    });
    const raw = async (producer: Producer, transactional: boolean) => {
      await producer.connect();
      const latencies: number[] = [];
      const started = performance.now();
      for (let i = 0; i < events.length; i += rawBatch) {
        const messages = events.slice(i, i + rawBatch);
        const t0 = performance.now();
        if (transactional) {
          const transaction = await producer.transaction();
          await transaction.sendBatch({ topicMessages: [{ topic: rawTopic, messages }], acks: -1 });
          await transaction.commit();
        } else {
          await producer.sendBatch({ topicMessages: [{ topic: rawTopic, messages }], acks: -1 });
        }
        latencies.push(performance.now() - t0);
      }
      const seconds = (performance.now() - started) / 1000;
      await producer.disconnect();
      latencies.sort((a, b) => a - b);
      return { rate: events.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    };
    const plain = await raw(client.producer({ idempotent: true, maxInFlightRequests: 1 }), false);
    const transactional = await raw(
      client.producer({ idempotent: true, maxInFlightRequests: 1, transactionalId: `${topics.prefix}.raw`, retry: { initialRetryTime: 5, factor: 0.2, multiplier: 1.5, maxRetryTime: 1000, retries: 36 } }),
      true,
    );
    const result: Measurement = {
      kafka: kafka.source,
      acknowledged: created,
      acknowledgedPerSecond: Math.round(httpRate),
      p50Ms: http.latency.p50,
      p99Ms: http.latency.p99,
      maxMs: http.latency.max,
      errors: http.errors,
      timeouts: http.timeouts,
      statusCodes: Object.fromEntries(Object.entries(http.statusCodeStats).map(([code, stats]) => [code, stats.count])),
      meanEventsPerTransaction: Number(meanBatch.toFixed(1)),
      // What the service itself spends per write, whatever else the machine is doing.
      serviceCpuMicrosPerWrite: created > 0 ? Math.round(((cpuAfter - cpuBefore) * 1000) / created) : null,
      serviceCpuCores: Number(((cpuAfter - cpuBefore) / 1000 / duration).toFixed(2)),
      rawBatchedPerSecond: Math.round(plain.rate),
      rawTransactionalPerSecond: Math.round(transactional.rate),
      ratioToRawBatched: Number((httpRate / plain.rate).toFixed(3)),
    };
    console.error(
      [
        `[ingest] ${kafka.source}: ${result.acknowledgedPerSecond} acknowledged/s over ${duration} s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${connections} connections, ${result.meanEventsPerTransaction} events per transaction, status codes ${JSON.stringify(result.statusCodes)}, errors ${http.errors}, timeouts ${http.timeouts})`,
        `[ingest] side service CPU: ${result.serviceCpuMicrosPerWrite} µs per acknowledged write, ${result.serviceCpuCores} cores busy`,
        `[ingest] raw kafkajs producer, batches of ${rawBatch}, acks=all: ${result.rawBatchedPerSecond} events/s (batch p50 ${plain.p50.toFixed(1)} ms, p99 ${plain.p99.toFixed(1)} ms); transactional ${result.rawTransactionalPerSecond} events/s; ratio HTTP / raw batched ${result.ratioToRawBatched}`,
      ].join('\n'),
    );
    return result;
  } finally {
    await topics.cleanup().catch(() => {});
    await kafka.stop();
  }
}

try {
  const single = await measure(clusterNodes === undefined ? undefined : 1, keys);
  const results: Record<string, unknown> = { ...single };
  if (clusterNodes !== undefined && clusterNodes > 1) {
    const cluster = await measure(clusterNodes, keys);
    results.cluster = { nodes: clusterNodes, ...cluster };
    results.clusterRatioToSingle = Number((cluster.acknowledgedPerSecond / single.acknowledgedPerSecond).toFixed(3));
    console.error(`[ingest] ${clusterNodes} brokers ÷ 1 broker, acknowledged writes/s: ${String(results.clusterRatioToSingle)}`);
  }
  console.log(JSON.stringify({ bench: 'ingest', machine: machineInfo(), results }));
} finally {
  keys.remove();
}

async function scrape(url: string): Promise<{ batchSum: number; batchCount: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { batchSum: value('gdhk_produce_batch_size_sum'), batchCount: value('gdhk_produce_batch_size_count') };
}
