import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The patched kafkajs' `probeEpoch` (InitProducerId version 3 with the id and epoch held, KIP-360)
// against a real broker: a writer whose batch failed ambiguously asks it before taking its side
// back, so a newer instance that has not written yet is never fenced by the older one.
describe('probeEpoch: does this producer still hold its transactional id?', () => {
  const prefix = `t-probe-${randomUUID().slice(0, 8)}`;
  const topic = `${prefix}.events`;
  const kafka = new Kafka({ clientId: 'probe-test', brokers: inject('kafkaBrokers').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producers: Producer[] = [];
  const instance = async () => {
    const producer = kafka.producer({ transactionalId: `${prefix}.writer`, idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 50 } });
    producers.push(producer);
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ key: 'a', value: 'x' }] });
    await transaction.commit();
    return producer;
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await Promise.all(producers.map((producer) => producer.disconnect().catch(() => {})));
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('answers with the next epoch while no one else has initialized, and a fencing error once another has, fencing nobody', async () => {
    const first = await instance();
    const held = await first.probeEpoch();
    expect(held).toMatchObject({ producerId: expect.any(String), producerEpoch: expect.any(Number) });

    // Another instance takes the transactional id and writes; then the first one asks again.
    const second = await instance();
    const failure = await first.probeEpoch().then(
      () => undefined,
      (error: unknown) => error as { message?: string; code?: number; type?: string },
    );
    // Kafka answers version 3 with INVALID_PRODUCER_EPOCH (later versions say PRODUCER_FENCED, code 90).
    expect(failure?.type === 'INVALID_PRODUCER_EPOCH' || /\bcode 90\b/.test(failure?.message ?? ''), JSON.stringify(failure)).toBe(true);
    // The question changed nothing: the second instance still commits.
    const transaction = await second.transaction();
    await transaction.send({ topic, messages: [{ key: 'a', value: 'y' }] });
    await expect(transaction.commit()).resolves.toBeUndefined();
  });
});
