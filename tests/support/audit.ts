import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

const root = join(import.meta.dirname, '..', '..');

export interface AuditRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON, when it is JSON */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the report is checked by the assertions that read it
  readonly report: any;
}

/**
 * Runs `audit replay` (or another audit `command`: `prove`, `verify-proof`) as `npm run audit`
 * does (a separate process, stdout not a terminal).
 */
export async function runAudit(options: { brokers: readonly string[]; prefix: string; keysDir: string; command?: 'replay' | 'prove' | 'verify-proof'; args?: readonly string[]; timeoutMs?: number; env?: Record<string, string> }): Promise<AuditRun> {
  const child = spawn(process.execPath, [join(root, 'services/audit/src/cli.ts'), options.command ?? 'replay', ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...options.env, KAFKA_BROKERS: options.brokers.join(','), GDHK_TOPIC_PREFIX: options.prefix, GDHK_KEYS_DIR: options.keysDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const status = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = undefined;
  }
  return { status, stdout, stderr, report };
}

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  /** the record's timestamp (ms): copies keep it, as the original broker appended it */
  readonly timestamp?: string;
}

const quiet = (brokers: readonly string[]) => new Kafka({ clientId: 'audit-test', brokers: [...brokers], logLevel: logLevel.NOTHING });

/** The first `count` committed records of a topic, per partition in log order (read with a throwaway consumer group). */
export async function readTopic(brokers: readonly string[], topic: string, count: number, group: string): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  const consumer = quiet(brokers).consumer({ groupId: group, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let reached: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      records.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, timestamp: message.timestamp });
      if (records.length >= count) reached();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`read ${records.length} of ${count} records of ${topic} in 20 s`)), 20_000);
  });
  try {
    if (count > 0) await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/**
 * Creates `topic` and writes the records in the given order, each to its given partition: offsets
 * restart at 0. The copy is a CreateTime topic that keeps each record's timestamp, as a copy made
 * by someone with broker access would.
 */
export async function writeTopic(brokers: readonly string[], topic: string, partitions: number, records: readonly Omit<TopicRecord, 'offset'>[]): Promise<void> {
  const kafka = quiet(brokers);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let partition = 0; partition < partitions; partition++) {
    const messages = records.filter((record) => record.partition === partition).map((record) => ({ partition, key: record.key, value: record.value, ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }) }));
    if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** The names of the consumer groups the cluster knows, to show a replay joined none. */
export async function consumerGroups(brokers: readonly string[]): Promise<string[]> {
  const admin = quiet(brokers).admin();
  await admin.connect();
  const { groups } = await admin.listGroups();
  await admin.disconnect();
  return groups.map((group) => group.groupId);
}

/** Topic names the cluster knows, to show a replay created none. */
export async function topicList(brokers: readonly string[]): Promise<string[]> {
  const admin = quiet(brokers).admin();
  await admin.connect();
  const topics = await admin.listTopics();
  await admin.disconnect();
  return topics.sort();
}
