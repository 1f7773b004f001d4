import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractTopics, freePort, startKafkaCluster, type KafkaCluster } from '@gdhk/infra';

// The three-broker shape that fault tests use: replication factor 3, min.insync.replicas 2.
describe('three-broker KRaft cluster (infra/)', () => {
  let cluster: KafkaCluster;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gdhk-cluster-'));
    const nodes = [];
    for (let i = 0; i < 3; i++) nodes.push({ client: await freePort(), controller: await freePort() });
    cluster = await startKafkaCluster({ dataDir, nodes, readyTimeoutMs: 120_000 });
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('creates the contract topics replicated three times with min.insync.replicas=2', async () => {
    await createContractTopics(cluster.brokers, { prefix: 'c3', partitions: 3, replicationFactor: 3 });
    const admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: ['c3.gd.events'] });
    expect(metadata.topics[0]?.partitions.every((partition) => partition.replicas.length === 3 && partition.isr.length === 3)).toBe(true);
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'c3.gd.events', configNames: ['min.insync.replicas'] }] });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    await admin.disconnect();
  });

  it('serves a produce with acks=all and a consume, and keeps serving with one broker down', async () => {
    // After a broker is killed, its partitions lead nowhere until the controller notices (up to the
    // broker session timeout); the client must keep retrying through that failover.
    const kafka = new Kafka({ clientId: 'c3-test', brokers: cluster.brokers, logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 5000 } });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'c3.gd.events', acks: -1, messages: [{ key: '2019-01', value: 'first' }] });
    await cluster.stopNode(2, true);
    // Two of three replicas are still in sync, which min.insync.replicas=2 accepts.
    await producer.send({ topic: 'c3.gd.events', acks: -1, messages: [{ key: '2019-01', value: 'second' }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: 'c3-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'c3.gd.events', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      // A consumer that fails to start fails the test instead of leaving it waiting.
      consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === 2) resolve();
        },
      }).catch(reject);
    });
    await consumer.disconnect();
    expect(values).toEqual(['first', 'second']);
  });
});
