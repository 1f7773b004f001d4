import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel, ConfigResourceTypes } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '@gdhk/config';
import { testInfra } from '@gdhk/tests/support';

const root = join(import.meta.dirname, '..', '..');

// The contract's topic settings as the cluster reports them, for topics made the way a newcomer
// makes them (`npm run infra -- topics`, which `npm start` also uses).
describe('the contract topics, read back through the admin API', () => {
  const infra = testInfra('topics');
  const topics = topicNames(infra.prefix);
  afterAll(async () => {
    await infra.cleanup();
  });

  it('side topics keep everything, are never compacted and take the broker\'s append time; joint.changes is compacted; min.insync.replicas as the cluster allows', { timeout: 120_000 }, async () => {
    const created = spawnSync('npm', ['run', '-s', 'infra', '--', 'topics', '--partitions', '4', '--prefix', infra.prefix], {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: infra.brokers.join(',') },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain(topics.side.gd);

    const admin = new Kafka({ clientId: 'topics-test', brokers: infra.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const names = ['cleanup.policy', 'retention.ms', 'retention.bytes', 'min.insync.replicas', 'message.timestamp.type'];
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [topics.side.gd, topics.side.hk, topics.dlq, topics.jointChanges].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: names })),
      });
      const settings = Object.fromEntries(resources.map((resource) => [resource.resourceName, Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue]))]));
      // One broker here: min.insync.replicas 1 (kafka-cluster.int.test.ts checks 2 on three brokers).
      const keepForever = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1', 'min.insync.replicas': '1' };
      // Side topics take the broker's append time as each record's timestamp: the writer cannot choose it.
      expect(settings[topics.side.gd]).toEqual({ ...keepForever, 'message.timestamp.type': 'LogAppendTime' });
      expect(settings[topics.side.hk]).toEqual({ ...keepForever, 'message.timestamp.type': 'LogAppendTime' });
      expect(settings[topics.dlq]).toEqual({ ...keepForever, 'message.timestamp.type': 'CreateTime' });
      expect(settings[topics.jointChanges]).toMatchObject({ 'cleanup.policy': 'compact', 'min.insync.replicas': '1' });

      // Both side topics have the same partition count, so an item's two streams share a partition number.
      const metadata = await admin.fetchTopicMetadata({ topics: [topics.side.gd, topics.side.hk, topics.jointChanges] });
      expect(metadata.topics.map((topic) => topic.partitions.length)).toEqual([4, 4, 4]);
    } finally {
      await admin.disconnect();
    }
  });
});
