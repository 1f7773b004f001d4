import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LogFollower, type LogRecord } from '../src/index.ts';

// What "caught up" means for a reader that must see every committed write: the default stops at
// what is committed and marked; `inFlight` also waits through transactions not yet marked — the
// window in which a proposal answered 201 was still invisible to the other side (issue 14's race).
describe('LogFollower.catchUpNow against a transaction that is open', () => {
  const prefix = `t-follower-${randomUUID().slice(0, 8)}`;
  const topic = `${prefix}.events`;
  const kafka = new Kafka({ clientId: 'follower-test', brokers: inject('kafkaBrokers').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const seen: LogRecord[] = [];
  const follower = new LogFollower({ kafka, topics: [topic], logger: pino({ level: 'silent' }), groupPrefix: prefix, onRecords: (records) => void seen.push(...records) });
  const producer = kafka.producer({ transactionalId: `${prefix}.tx`, idempotent: true, maxInFlightRequests: 1 });

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await producer.connect();
    await follower.start();
    await follower.caughtUp;
  });
  afterAll(async () => {
    await follower.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('stops at the last stable offset by default, and with inFlight waits until the transaction ends and delivers its records', async () => {
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'a', value: 'first' }] });
    await committed.commit();
    await follower.catchUpNow(5000, [topic], { inFlight: true });
    expect(seen.map((record) => record.value?.toString())).toEqual(['first']);

    const open = await producer.transaction();
    await open.send({ topic, messages: [{ key: 'b', value: 'second' }] });
    // The open transaction is past the last stable offset: the default catch-up returns without it…
    await follower.catchUpNow(5000, [topic]);
    expect(seen).toHaveLength(1);
    // …and the in-flight one cannot finish while the transaction is open.
    await expect(follower.catchUpNow(500, [topic], { inFlight: true })).rejects.toThrow(/did not reach the high watermarks within 500 ms/);

    const waiting = follower.catchUpNow(10_000, [topic], { inFlight: true });
    await open.commit();
    await waiting;
    expect(seen.map((record) => record.value?.toString())).toEqual(['first', 'second']);
  });
});
