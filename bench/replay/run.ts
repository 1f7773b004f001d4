// `node bench/replay/run.ts [--events 1000000] [--partitions 6] [--workers N] [--sample 40000] [--format 2|1] [--per-seal 8] [--keep]`
//
// A verified audit replay of a pre-filled log (both side topics), and in the same run the rates it
// is measured against: bare Ed25519 verification of the log's signatures (one core, then every
// core), a bare kafkajs consumer reading the same topics, and the audit's own group-less reader
// alone. Prints the numbers and their ratios as Markdown.
//
// --format 2 (default) writes the log as the side services do since sealed commits: events
// without signatures, each side partition's events closed by a signed seal every --per-seal
// events (the ingest bench's group commits average ≈ 6 events per partition and transaction).
// --format 1 writes one signature per event, as logs from before sealed commits hold.
//
// Kafka: KAFKA_BROKERS, or a private single-node broker started here. With KAFKA_BROKERS and
// --keep, a later run reuses the filled topics (same --events) instead of sealing them again.
import { randomUUID, verify as verifySignature } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Kafka, logLevel } from 'kafkajs';
import { catalogue2019 } from '@gdhk/catalogue';
import { replay } from '@gdhk/audit';
import { itemPartitioner, SideLog } from '@gdhk/eventlog';
import { topicNames } from '@gdhk/config';
import { createContractTopics, deleteTopicsWithPrefix, freePort, kafkaVersion, startKafkaCluster } from '@gdhk/infra';
import { ensureDevKeySet, KeyRing, readKeySetFile } from '@gdhk/integrity';
import { benchEnv } from '../env.ts';
import { machineInfo } from '../lib.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    partitions: { type: 'string', default: '6' },
    workers: { type: 'string' },
    sample: { type: 'string', default: '40000' },
    keep: { type: 'boolean', default: false },
    format: { type: 'string', default: '2' },
    'per-seal': { type: 'string', default: '8' },
  },
});
const format = values.format === '1' ? 1 : 2;
if (values.format !== '1' && values.format !== '2') throw new Error(`--format is 1 or 2, got ${values.format}`);
const perSeal = Number(values['per-seal']);
if (!Number.isInteger(perSeal) || perSeal < 1) throw new Error(`--per-seal is a whole number of events, got ${values['per-seal']}`);
const wanted = Number(values.events);
const partitions = Number(values.partitions);
const cores = availableParallelism();
const workers = values.workers ? Number(values.workers) : cores;
const sampleSize = Number(values.sample);
const root = join(import.meta.dirname, '..', '..');
const items = catalogue2019.items().map((item) => item.id);
const perStream = Math.ceil(wanted / (items.length * 2));
const total = perStream * items.length * 2;
const prefix = `bench-replay-${total}-v${format}${format === 2 ? `-${perSeal}` : ''}`;
const topics = topicNames(prefix).side;
/** Every record the log holds: the events, and with format 2 one seal per `perSeal` events of each side partition. */
const records = (() => {
  if (format === 1) return total;
  const partitionOf = itemPartitioner(partitions);
  const perPartition = new Map<number, number>();
  for (const itemId of items) perPartition.set(partitionOf(itemId), (perPartition.get(partitionOf(itemId)) ?? 0) + perStream);
  return total + 2 * [...perPartition.values()].reduce((sum, events) => sum + Math.ceil(events / perSeal), 0);
})();
const log = (line: string) => console.error(`[replay-bench] ${line}`);
const load = () => loadavg().map((value) => value.toFixed(2)).join(' / ');
const loads: string[] = [];
const rate = (count: number, ms: number) => (count / ms) * 1000;

// --- Kafka and keys ---------------------------------------------------------------------------
let stopKafka = async () => {};
let brokers: string[];
let kafkaSource: string;
if (benchEnv.KAFKA_BROKERS) {
  brokers = benchEnv.KAFKA_BROKERS;
  kafkaSource = `KAFKA_BROKERS=${brokers.join(',')}`;
} else {
  const dataDir = mkdtempSync(join(tmpdir(), 'gdhk-bench-replay-kafka-'));
  const cluster = await startKafkaCluster({ dataDir, nodes: [{ client: await freePort(), controller: await freePort() }], heapMb: 1024, log });
  brokers = cluster.brokers;
  kafkaSource = 'a private single-node KRaft broker (infra/)';
  stopKafka = async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
const keysDir = join(root, '.data', 'bench-replay-keys');
mkdirSync(keysDir, { recursive: true });
const { keySetFile } = await ensureDevKeySet(keysDir);
const kafka = new Kafka({ clientId: 'bench-replay', brokers, logLevel: logLevel.NOTHING });

async function endOffsets(): Promise<number | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    if (!existing.has(topics.gd) || !existing.has(topics.hk)) return undefined;
    let sum = 0;
    for (const topic of [topics.gd, topics.hk]) for (const partition of await admin.fetchTopicOffsets(topic)) sum += Number(partition.high) - Number(partition.low);
    return sum;
  } finally {
    await admin.disconnect();
  }
}

/** Seals `total` events on every core and produces them in big batches (acks=all, no compression, as the services write). */
async function fill(): Promise<number> {
  await deleteTopicsWithPrefix(brokers, prefix);
  await createContractTopics(brokers, { prefix, partitions, replicationFactor: 1 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  let produced = 0;
  let sending = Promise.resolve();
  const sealWorker = new URL('./seal-worker.ts', import.meta.url);
  await Promise.all(
    Array.from({ length: cores }, (_, shard) =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(sealWorker, { workerData: { keysDir, items, perStream, shard, shards: cores, chunk: 5000, partitions, format, perSeal, topics } });
        worker.on('message', (message: 'done' | { side: 'gd' | 'hk'; partition: number; key: string; value: string }[]) => {
          if (message === 'done') return resolve();
          sending = sending.then(async () => {
            await producer.sendBatch({ acks: -1, topicMessages: (['gd', 'hk'] as const).map((side) => ({ topic: topics[side], messages: message.filter((entry) => entry.side === side).map(({ partition, key, value }) => ({ partition, key, value })) })) });
            produced += message.length;
            if (produced % 100_000 < 5000) log(`filled ${produced} of ${total}`);
          });
        });
        worker.on('error', reject);
      }),
    ),
  );
  await sending;
  await producer.disconnect();
  return performance.now() - started;
}

// --- The measurements -------------------------------------------------------------------------

/** Verifications per second of wall time, and CPU microseconds per verification. */
function verifyOneCore(sample: readonly { hash: string; keyId: string; signature: string }[], ring: KeyRing): { rate: number; cpuMicros: number } {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let good = 0;
  for (const { hash, keyId, signature } of sample) {
    const key = ring.publicKey(keyId);
    if (key.ok && verifySignature(null, Buffer.from(hash, 'utf8'), key.publicKey, Buffer.from(signature, 'base64url'))) good += 1;
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (good !== sample.length) throw new Error(`bare verification: ${sample.length - good} signatures did not verify`);
  return { rate: rate(sample.length, elapsed), cpuMicros: (cpu.user + cpu.system) / sample.length };
}

async function verifyAllCores(sample: readonly { hash: string; keyId: string; signature: string }[], keySet: unknown): Promise<number> {
  // Plain JavaScript workers: nothing but node:crypto between the signature and the clock.
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createPublicKey, verify } = require('node:crypto');
    const keys = new Map(workerData.keySet.keys.map((k) => [k.keyId, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.publicKey }, format: 'jwk' })]));
    parentPort.once('message', () => {
      let good = 0;
      for (const { hash, keyId, signature } of workerData.items) if (verify(null, Buffer.from(hash, 'utf8'), keys.get(keyId), Buffer.from(signature, 'base64url'))) good++;
      parentPort.postMessage(good);
    });
    parentPort.postMessage('ready');`;
  const shares = Array.from({ length: cores }, (_, index) => sample.filter((_, i) => i % cores === index));
  const pool = shares.map((share) => new Worker(code, { eval: true, workerData: { items: share, keySet } }));
  await Promise.all(pool.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const started = performance.now();
  const good = await Promise.all(pool.map((worker) => new Promise<number>((resolve) => { worker.once('message', resolve); worker.postMessage('go'); })));
  const elapsed = performance.now() - started;
  await Promise.all(pool.map((worker) => worker.terminate()));
  if (good.reduce((a, b) => a + b, 0) !== sample.length) throw new Error('bare verification on all cores: some signatures did not verify');
  return rate(sample.length, elapsed);
}

async function kafkajsRead(): Promise<{ rate: number; ms: number }> {
  const consumer = kafka.consumer({ groupId: `bench-replay-kafkajs-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.gd, topics.hk], fromBeginning: true });
  const started = performance.now();
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    // A consumer that fails to start fails the bench instead of leaving it waiting.
    consumer.run({
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        if (count >= records) resolve();
      },
    }).catch(reject);
  });
  const ms = performance.now() - started;
  await consumer.disconnect();
  return { rate: rate(count, ms), ms };
}

async function auditReaderRead(): Promise<{ rate: number; ms: number; sample: { hash: string; keyId: string; signature: string }[] }> {
  const started = performance.now();
  const reader = await SideLog.open({ brokers, topics: [topics.gd, topics.hk] });
  let count = 0;
  const kept: Buffer[] = [];
  await reader.read((chunk) => {
    count += chunk.offsets.length;
    // The log's signatures: every event's in format 1, the seals' in format 2.
    for (const value of chunk.values) if (kept.length < sampleSize && value && (format === 1 || value.includes('"kind":"gdhk.seal"'))) kept.push(value);
  });
  const ms = performance.now() - started;
  await reader.close();
  if (count !== records) throw new Error(`the audit reader read ${count} of ${records} records`);
  const sample = kept.map((value) => {
    const signed = JSON.parse(value.toString()) as { hash: string; signature: { keyId: string; value: string } };
    return { hash: signed.hash, keyId: signed.signature.keyId, signature: signed.signature.value };
  });
  return { rate: rate(count, ms), ms, sample };
}

try {
  log(`kafka ${kafkaVersion()}: ${kafkaSource}; ${cores} cores; load ${load()}`);
  let fillMs: number | undefined;
  if ((await endOffsets()) === records) {
    log(`reusing ${total} events already in ${topics.gd} and ${topics.hk}`);
  } else {
    log(`sealing and producing ${total} events (${perStream} per stream, ${items.length} items, both sides, ${partitions} partitions)`);
    fillMs = await fill();
    log(`filled in ${(fillMs / 1000).toFixed(1)} s`);
  }
  const keySet = readKeySetFile(keySetFile);
  const ring = new KeyRing(keySet);

  loads.push(`start ${load()}`);
  const ownReader = await auditReaderRead();
  log(`audit reader alone: ${ownReader.rate.toFixed(0)} records/s`);
  const edBefore = verifyOneCore(ownReader.sample, ring);
  log(`bare Ed25519, one core: ${edBefore.rate.toFixed(0)} verifications/s, ${edBefore.cpuMicros.toFixed(0)} µs CPU each`);
  const edAll = await verifyAllCores(ownReader.sample, keySet);
  log(`bare Ed25519, ${cores} cores: ${edAll.toFixed(0)} verifications/s`);
  const plain = await kafkajsRead();
  log(`bare kafkajs consumer: ${plain.rate.toFixed(0)} records/s`);
  loads.push(`before the replay ${load()}`);

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  // The bench's events are spread over hours of occurredAt (and a --keep log is older still):
  // the skew rule is not what this measures.
  const { report } = await replay({ brokers, topicPrefix: prefix, keySetFile, workers, maxSkewMs: Number.MAX_SAFE_INTEGER });
  const replayMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  loads.push(`after the replay ${load()}`);
  if (report.verification.events !== total || report.verification.verified !== total || report.verification.failures.length > 0) {
    throw new Error(`the replay did not verify everything: ${JSON.stringify(report.verification).slice(0, 500)}`);
  }
  const replayRate = rate(total, replayMs);
  log(`verified replay: ${replayRate.toFixed(0)} events/s`);
  const edAfter = verifyOneCore(ownReader.sample, ring);
  log(`bare Ed25519, one core, again: ${edAfter.rate.toFixed(0)} verifications/s, ${edAfter.cpuMicros.toFixed(0)} µs CPU each`);
  const edOne = (edBefore.rate + edAfter.rate) / 2;
  const edCpu = (edBefore.cpuMicros + edAfter.cpuMicros) / 2;
  const replayCpu = (cpu.user + cpu.system) / total;

  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `### Replay benchmark, ${new Date().toISOString()}`,
    '',
    `- machine: ${cores} × ${cpuModel}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, Kafka ${kafkaVersion()} (${kafkaSource})`,
    `- log: ${total.toLocaleString('en')} events (${items.length} items × 2 sides × ${perStream} per stream; reports, department changes, GD proposals approved by HK), ${format === 2 ? `format 2: ${(records - total).toLocaleString('en')} seals, one per ${perSeal} events of a side partition` : 'format 1: one signature per event'}, ${partitions} partitions per side topic${fillMs === undefined ? ', reused from an earlier run' : `, sealed and produced in ${(fillMs / 1000).toFixed(0)} s`}`,
    `- load average (1/5/15 min): ${loads.join('; ')}`,
    `- command: node bench/replay/run.ts --events ${wanted} --partitions ${partitions} --workers ${workers} --sample ${sampleSize} --format ${format}${format === 2 ? ` --per-seal ${perSeal}` : ''}${values.keep ? ' --keep' : ''}`,
    '',
    '| measurement | rate (per s) | replay ÷ this |',
    '| --- | ---: | ---: |',
    `| **verified replay** (read, verify hash chains${format === 2 ? ', seals (chain, walk, Merkle root, one Ed25519 each)' : ' + Ed25519 per event'}, upcast + validate, fold, digest; ${workers} worker threads) | **${replayRate.toFixed(0)}** events | 1.00 |`,
    `| bare Ed25519 verification, one core (mean of before ${edBefore.rate.toFixed(0)} and after ${edAfter.rate.toFixed(0)}) | ${edOne.toFixed(0)} | **${(replayRate / edOne).toFixed(2)}** (target ≥ 0.80) |`,
    `| bare Ed25519 verification, ${cores} cores | ${edAll.toFixed(0)} | ${(replayRate / edAll).toFixed(2)} |`,
    `| bare kafkajs consumer reading both topics (group join included) | ${plain.rate.toFixed(0)} | ${(replayRate / plain.rate).toFixed(2)} |`,
    `| the audit's group-less reader alone (@platformatic/kafka fetch) | ${ownReader.rate.toFixed(0)} | ${(replayRate / ownReader.rate).toFixed(2)} |`,
    '',
    `Replay wall time ${(replayMs / 1000).toFixed(1)} s, using ${((cpu.user + cpu.system) / 1e3 / replayMs).toFixed(2)} cores on average.`,
    `CPU per event (load-independent): replay ${replayCpu.toFixed(0)} µs (main thread and verification workers; the broker not counted), bare Ed25519 ${edCpu.toFixed(0)} µs per verification — the replay costs ${(replayCpu / edCpu).toFixed(2)}× one signature check, so on ${cores} otherwise idle cores it would run at about ${((cores * 1e6) / replayCpu).toFixed(0)} events/s, ${((cores * edCpu) / replayCpu).toFixed(2)}× the one-core Ed25519 rate (derived, not measured).`,
  ];
  console.log(lines.join('\n'));
  const results = {
    events: total,
    records,
    format,
    ...(format === 2 ? { eventsPerSeal: perSeal } : {}),
    workers,
    eventsPerSecond: Math.round(replayRate),
    readerAlonePerSecond: Math.round(ownReader.rate),
    ratioToReader: Number((replayRate / ownReader.rate).toFixed(3)),
    cpuMicrosPerEvent: Number(replayCpu.toFixed(1)),
    bareConsumerPerSecond: Math.round(plain.rate),
    ed25519OneCorePerSecond: Math.round(edOne),
    ed25519CpuMicros: Number(edCpu.toFixed(1)),
    replaySeconds: Number((replayMs / 1000).toFixed(1)),
  };
  console.log(JSON.stringify({ bench: 'replay', machine: machineInfo(), results }));
} finally {
  if (!values.keep) await deleteTopicsWithPrefix(brokers, prefix).catch(() => undefined);
  await stopKafka();
}
