// bench/projection: events/s applied into Redis from pre-filled side topics, and a full rebuild
// (time, projection peak RSS, Redis memory per item). See RESULTS.md.
//   node bench/projection/run.ts [--events 1000000] [--items 74] [--partitions 6]
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { catalogue2019 } from '@gdhk/catalogue';
import { topicNames } from '@gdhk/config';
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
const perStream = Math.ceil(events / itemCount / 2);
const total = perStream * itemCount * 2;
const prefix = `bench-projection-${total}-${itemCount}-${partitions}`;
const keysDir = ensureDir(join(root, '.data', 'bench-keys'));
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

  if ((await filled()) !== total) {
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
    const sealWorker = new URL('./seal-worker.ts', import.meta.url);
    let produced = 0;
    let sending = Promise.resolve();
    await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(sealWorker, { workerData: { keysDir, items, perStream, shard, shards, chunk: 5000 } });
          worker.on('error', reject);
          worker.on('message', (message: 'done' | { side: 'gd' | 'hk'; key: string; value: string }[]) => {
            if (message === 'done') return void sending.then(() => resolve(), reject);
            sending = sending.then(async () => {
              const bySide = { gd: [] as { key: string; value: string }[], hk: [] as { key: string; value: string }[] };
              for (const record of message) bySide[record.side].push({ key: record.key, value: record.value });
              await producer.sendBatch({ acks: -1, topicMessages: (['gd', 'hk'] as const).map((side) => ({ topic: topics.side[side], messages: bySide[side] })) });
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
  await projection.stop();

  const first = samples.find((sample) => sample.applied >= inLog * 0.1);
  const last = samples.find((sample) => sample.applied >= inLog * 0.9);
  const steady = first && last && last.at > first.at ? (last.applied - first.applied) / (last.at - first.at) : Number.NaN;
  const usage = async (key: string) => Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
  const base = `${prefix}:rm:bench`;
  const perItem = ((await usage(`${base}:items`)) + (await usage(`${base}:views`)) + (await usage(`${base}:index`))) / (await redis.hlen(`${base}:items`));
  const feedPerEvent = (await usage(`${base}:feed`)) / (await redis.xlen(`${base}:feed`));
  const memoryAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
  redis.disconnect();
  await admin.disconnect();

  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  console.log([
    `## bench/projection — ${new Date().toISOString()}`,
    `- machine: ${machine()}`,
    `- command: node bench/projection/run.ts --events ${events} --items ${itemCount} --partitions ${partitions} --verify-workers ${workers}`,
    `- log: ${inLog} records (status reports, ${itemCount} items × 2 sides × ${perStream}), ${partitions} partitions per side topic`,
    `- full rebuild (start of the process → generation live with every record applied): ${seconds.toFixed(1)} s = ${Math.round(inLog / seconds)} events/s`,
    `- apply rate between 10 % and 90 % of the log: ${Math.round(steady)} events/s`,
    `- projection peak RSS (VmHWM, main + ${workers} verify workers): ${mib(peakRss)}`,
    `- Redis: ${mib(memoryAfter - memoryBefore)} in total; per item (document + view + index) ${(perItem / 1024).toFixed(1)} KiB; feed ${Math.round(feedPerEvent)} bytes per event`,
  ].join('\n'));
  const results = {
    events: inLog,
    items: itemCount,
    verifyWorkers: workers,
    rebuildEventsPerSecond: Math.round(inLog / seconds),
    rebuildSeconds: Number(seconds.toFixed(1)),
    steadyEventsPerSecond: Math.round(steady),
    peakRssMiB: Number((peakRss / 2 ** 20).toFixed(1)),
    redisMiB: Number(((memoryAfter - memoryBefore) / 2 ** 20).toFixed(1)),
    feedBytesPerEvent: Math.round(feedPerEvent),
  };
  console.log(JSON.stringify({ bench: 'projection', machine: machineInfo(), results }));
} finally {
  await infra.stop();
}
