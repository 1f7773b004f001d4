// bench/projection: events/s applied into Redis from pre-filled side topics, and a full rebuild
// (time, projection peak RSS, CPU per event, Redis memory per item). See RESULTS.md.
//   node bench/projection/run.ts [--events 1000000] [--items 74] [--partitions 6] [--format 2|1] [--per-seal 8]
// --format 2 (default) writes the log as the side services do since sealed commits (events
// without signatures, one signed seal per --per-seal events of a side partition); --format 1 one
// signature per event, as logs from before sealed commits hold. The log is written by
// bench/replay's seal worker (status reports, department changes, GD proposals approved by HK).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { catalogue2019 } from '@gdhk/catalogue';
import { topicNames } from '@gdhk/config';
import { itemPartitioner } from '@gdhk/eventlog';
import { createContractTopics, deleteTopicsWithPrefix } from '@gdhk/infra';
import { ensureDevKeySet } from '@gdhk/integrity';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { machineInfo } from '../lib.ts';
import { argument, benchInfra, ensureDir, machine, root, spawnService } from './support.ts';

const events = argument('events', 1_000_000);
// Only the plan's items verify (any other is quarantined as unknown_item): at most its 74.
const itemCount = Math.min(argument('items', 74), catalogue2019.items().length);
const partitions = argument('partitions', 6);
const workers = argument('verify-workers', availableParallelism());
const format = argument('format', 2);
if (format !== 1 && format !== 2) throw new Error(`--format is 1 or 2, got ${format}`);
const perSeal = argument('per-seal', 8);
if (!Number.isInteger(perSeal) || perSeal < 1) throw new Error(`--per-seal is a whole number of events, got ${perSeal}`);
const perStream = Math.ceil(events / itemCount / 2);
const total = perStream * itemCount * 2;
const prefix = `bench-projection-${total}-${itemCount}-${partitions}-v${format}${format === 2 ? `-${perSeal}` : ''}`;
const keysDir = ensureDir(join(root, '.data', 'bench-keys'));
/** Every record the log holds: the events, and with format 2 one seal per `perSeal` events of each side partition. */
const records = (() => {
  if (format === 1) return total;
  const partitionOf = itemPartitioner(partitions);
  const perPartition = new Map<number, number>();
  for (const { id } of catalogue2019.items().slice(0, itemCount)) perPartition.set(partitionOf(id), (perPartition.get(partitionOf(id)) ?? 0) + perStream);
  return total + 2 * [...perPartition.values()].reduce((sum, count) => sum + Math.ceil(count / perSeal), 0);
})();
const say = (line: string) => console.error(`[bench/projection] ${line}`);

const infra = await benchInfra();
try {
  await ensureDevKeySet(keysDir);
  await createContractTopics(infra.brokers, { prefix, partitions, replicationFactor: 1 });
  const kafka = new Kafka({ clientId: 'bench-projection', brokers: infra.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const topics = topicNames(prefix);
  const filled = async (): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      try {
        let sum = 0;
        for (const topic of [topics.side.gd, topics.side.hk]) for (const { high } of await admin.fetchTopicOffsets(topic)) sum += Number(high);
        return sum;
      } catch (error) {
        // Leaders of freshly created topics take a moment to be elected.
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  };

  if ((await filled()) !== records) {
    // A pre-fill that did not finish is started again from empty topics.
    await deleteTopicsWithPrefix(infra.brokers, prefix);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await createContractTopics(infra.brokers, { prefix, partitions, replicationFactor: 1 });
    await filled();
    say(`pre-filling ${total} events (${itemCount} items × 2 sides × ${perStream}) into ${partitions} partitions per side topic`);
    const started = performance.now();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const items = catalogue2019.items().slice(0, itemCount).map((item) => item.id);
    const shards = availableParallelism();
    const sealWorker = new URL('../replay/seal-worker.ts', import.meta.url);
    let produced = 0;
    let sending = Promise.resolve();
    await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(sealWorker, { workerData: { keysDir, items, perStream, shard, shards, chunk: 5000, partitions, format, perSeal, topics: topics.side } });
          worker.on('error', reject);
          worker.on('message', (message: 'done' | { side: 'gd' | 'hk'; partition: number; key: string; value: string }[]) => {
            if (message === 'done') return void sending.then(() => resolve(), reject);
            sending = sending.then(async () => {
              await producer.sendBatch({
                acks: -1,
                topicMessages: (['gd', 'hk'] as const).map((side) => ({ topic: topics.side[side], messages: message.filter((entry) => entry.side === side).map(({ partition, key, value }) => ({ partition, key, value })) })),
              });
              produced += message.length;
              if (produced % 100_000 < message.length) say(`  ${produced} produced (${Math.round(produced / ((performance.now() - started) / 1000))}/s)`);
            });
          });
        }),
      ),
    );
    await sending;
    await producer.disconnect();
    say(`pre-filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    say(`reusing the pre-filled topics of ${prefix}`);
  }
  const inLog = await filled();

  const redis = new Redis(infra.redisUrl);
  await redis.flushall();
  const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  await redis.call('CONFIG', 'RESETSTAT');
  const redisCpuBefore = redisCpu(await redis.info('cpu'));
  const loadBefore = loadavg();
  const started = performance.now();
  const projection = await spawnService('services/projection/src/server.ts', {
    KAFKA_BROKERS: infra.brokers.join(','),
    REDIS_URL: infra.redisUrl,
    GDHK_TOPIC_PREFIX: prefix,
    GDHK_KEYS_DIR: keysDir,
    GDHK_READ_MODEL_GENERATION: 'bench',
    GDHK_PROJECTION_VERIFY_WORKERS: String(workers),
  });
  const offsetsKey = `${prefix}:rm:bench:offsets`;
  const samples: { at: number; applied: number }[] = [];
  let peakRss = 0;
  for (;;) {
    const applied = Object.values(await redis.hgetall(offsetsKey)).reduce((sum, offset) => sum + Number(offset), 0);
    const at = (performance.now() - started) / 1000;
    samples.push({ at, applied });
    peakRss = Math.max(peakRss, projection.peakRss());
    if ((await redis.hget(`${prefix}:rm:bench:meta`, 'state')) === 'live' && applied >= inLog) break;
    if (samples.length % 50 === 0) say(`  ${applied} / ${inLog} applied after ${at.toFixed(0)} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, projection.peakRss());
  const projectionCpu = processCpuSeconds(projection.child.pid);
  const redisCpuSeconds = redisCpu(await redis.info('cpu')) - redisCpuBefore;
  const commandStats = parseCommandStats(await redis.info('commandstats'));
  const loadAfter = loadavg();
  await projection.stop();

  // Offsets count records, seals included: the rates are of events (the log's records less its seals).
  const eventsPerRecord = total / inLog;
  const first = samples.find((sample) => sample.applied >= inLog * 0.1);
  const last = samples.find((sample) => sample.applied >= inLog * 0.9);
  const steady = first && last && last.at > first.at ? ((last.applied - first.applied) * eventsPerRecord) / (last.at - first.at) : Number.NaN;
  const usage = async (key: string) => Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  const base = `${prefix}:rm:bench`;
  const perItem = ((await usage(`${base}:items`)) + (await usage(`${base}:views`)) + (await usage(`${base}:index`))) / (await redis.hlen(`${base}:items`));
  const feedPerEvent = (await usage(`${base}:feed`)) / (await redis.xlen(`${base}:feed`));
  const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  const scripts = (commandStats.get('evalsha')?.calls ?? 0) + (commandStats.get('eval')?.calls ?? 0);
  const scriptMicros = (commandStats.get('evalsha')?.usec ?? 0) + (commandStats.get('eval')?.usec ?? 0);
  redis.disconnect();
  await admin.disconnect();

  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log([
    `## bench/projection — ${new Date().toISOString()}`,
    `- machine: ${machine()}`,
    `- command: node bench/projection/run.ts --events ${events} --items ${itemCount} --partitions ${partitions} --verify-workers ${workers} --format ${format}${format === 2 ? ` --per-seal ${perSeal}` : ''}`,
    `- log: ${total} events (${itemCount} items × 2 sides × ${perStream}; status reports, department changes, GD proposals approved by HK), ${format === 2 ? `format 2: ${inLog - total} seals, one per ${perSeal} events of a side partition` : 'format 1: one signature per event'}, ${partitions} partitions per side topic`,
    `- load average (1 min) ${loadBefore[0]?.toFixed(2)} at the start, ${loadAfter[0]?.toFixed(2)} at the end`,
    `- full rebuild (start of the process → generation live with every record applied): ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} events/s`,
    `- CPU per event: projection process ${((projectionCpu / total) * 1e6).toFixed(1)} µs (${(projectionCpu / seconds).toFixed(2)} cores busy), Redis ${((redisCpuSeconds / total) * 1e6).toFixed(1)} µs`,
    `- apply script: ${scripts} calls, ${(total / scripts).toFixed(1)} events per call, ${(scriptMicros / scripts).toFixed(0)} µs per call, ${(scriptMicros / total).toFixed(1)} µs per event; Redis commands: ${[...commandStats].sort((a, b) => b[1].usec - a[1].usec).slice(0, 8).map(([name, stat]) => `${name} ${stat.calls} calls ${(stat.usec / 1e6).toFixed(2)} s`).join(', ')}`,
    `- apply rate between 10 % and 90 % of the log: ${Math.round(steady)} events/s`,
    `- projection peak RSS (VmHWM, main + ${workers} verify workers): ${mib(peakRss)}`,
    `- Redis: ${mib(memoryAfter - memoryBefore)} in total; per item (document + view + index) ${(perItem / 1024).toFixed(1)} KiB; feed ${Math.round(feedPerEvent)} bytes per event`,
  ].join('\n'));
  const results = {
    events: total,
    records: inLog,
    items: itemCount,
    format,
    ...(format === 2 ? { eventsPerSeal: perSeal } : {}),
    verifyWorkers: workers,
    rebuildEventsPerSecond: Math.round(total / seconds),
    projectionCpuMicrosPerEvent: Number(((projectionCpu / total) * 1e6).toFixed(1)),
    redisCpuMicrosPerEvent: Number(((redisCpuSeconds / total) * 1e6).toFixed(1)),
    eventsPerApplyCall: Number((total / scripts).toFixed(1)),
    scriptMicrosPerEvent: Number((scriptMicros / total).toFixed(1)),
    loadAverage: [Number(loadBefore[0]?.toFixed(2)), Number(loadAfter[0]?.toFixed(2))],
    rebuildSeconds: Number(seconds.toFixed(1)),
    steadyEventsPerSecond: Math.round(steady),
    peakRssMiB: Number((peakRss / 2 ** 20).toFixed(1)),
    redisMiB: Number(((memoryAfter - memoryBefore) / 2 ** 20).toFixed(1)),
    feedBytesPerEvent: Math.round(feedPerEvent),
    redisBytesPerEvent: Math.round((memoryAfter - memoryBefore) / total),
  };
  console.log(JSON.stringify({ bench: 'projection', machine: machineInfo(), results }));
} finally {
  await infra.stop();
}

/** User + system CPU of a process so far, in seconds (/proc/PID/stat, clock ticks of 1/100 s). */
function processCpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function redisCpu(info: string): number {
  return Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
}

function parseCommandStats(info: string): Map<string, { calls: number; usec: number }> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+),usec=(\d+)/g)) stats.set(match[1] ?? '', { calls: Number(match[2]), usec: Number(match[3]) });
  return stats;
}
