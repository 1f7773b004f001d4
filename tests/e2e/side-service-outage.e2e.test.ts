import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContractTopics, freePort, startKafkaCluster, type KafkaCluster } from '@gdhk/infra';
import { call, logSettled, readCommitted, startSystem, type TestInfra, type TestSystem } from '@gdhk/tests/support';
import { countViolations, finalAnswer, isAcknowledged, Load, outcomeSummary, readSideLogs, type Side, type WriteRecord } from '../support/load.ts';

/** Every committed event of a topic, read as the services read it (read_committed), to the log's end. */
async function committedEvents(brokers: string[], topic: string): Promise<{ itemId: string; streamVersion: number; commandId: string; eventId: string }[]> {
  // Seal records (one per partition per transaction) are not events.
  return (await readCommitted(brokers, [topic])).map((record) => record.value).filter((value) => value?.kind === undefined);
}

// Its own broker, because this test stops it: the run's shared broker serves other test files.
describe('side service when Kafka goes away', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gdhk-outage-kafka-'));
  const prefix = `t-outage-${randomUUID().slice(0, 8)}`;
  let nodes: { client: number; controller: number }[];
  let cluster: KafkaCluster | undefined;
  let system: TestSystem;

  beforeAll(async () => {
    nodes = [{ client: await freePort(), controller: await freePort() }];
    cluster = await startKafkaCluster({ dataDir, nodes, heapMb: 384 });
    await createContractTopics(cluster.brokers, { prefix, partitions: 3, replicationFactor: 1 });
    const infra: TestInfra = { brokers: cluster.brokers, redisUrl: inject('redisUrl'), prefix, createTopics: async () => {}, cleanup: async () => {} };
    system = await startSystem(infra, ['gd-service', 'hk-service']);
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second request with the same Idempotency-Key while the first waits on a frozen broker is 409; the first lands once', async () => {
    const token = await system.token('gd', 'coordinator', 'Development and Reform Commission');
    const url = `${system.url('gd-service')}/v1/items/2019-41/status`;
    const key = randomUUID();
    const body = { status: 'in_progress', progress: 50, summary: 'Half' };
    const broker = cluster?.processes[0];
    if (!broker?.pid) throw new Error('the broker is not running');
    // SIGSTOP keeps the connections open and unanswered: whichever request gets to the writer
    // first stays in flight for as long as the broker is frozen, however the two are timed.
    process.kill(broker.pid, 'SIGSTOP');
    let answers: Awaited<ReturnType<typeof call>>[];
    try {
      const both = [call(url, { token, headers: { 'idempotency-key': key }, body }), call(url, { token, headers: { 'idempotency-key': key }, body })];
      const refused = await Promise.race(both);
      expect(refused.body).toMatchObject({ status: 409, code: 'GDHK_IDEMPOTENCY_IN_FLIGHT' });
      process.kill(broker.pid, 'SIGCONT');
      answers = await Promise.all(both);
    } finally {
      process.kill(broker.pid, 'SIGCONT');
    }
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const landed = (await committedEvents(cluster?.brokers ?? [], `${prefix}.gd.events`)).filter((event) => event.commandId === key);
    expect(landed.map((event) => event.eventId)).toEqual([answers.find((answer) => answer.status === 201)?.body.eventId]);
  });

  it('the broker killed with writes in flight: no refused write landed, shown by retrying each with a new key', { timeout: 240_000 }, async () => {
    const userId = (side: Side, writer: number) => `${side}-outage-${writer}`;
    const token = (side: Side, writer: number) => system.token(side, 'coordinator', 'Development and Reform Commission', userId(side, writer));
    const target = (side: Side) => system.url(side === 'gd' ? 'gd-service' : 'hk-service');
    const items = ['2019-60', '2019-61', '2019-62', '2019-63', '2019-64', '2019-65'];
    const load = Load.start({ target, token, userId, writersPerSide: 3, items, requestTimeoutMs: 30_000, retry: 'none' });
    await load.acknowledgedMore(50);
    const before = load.records.length;
    await cluster?.stopNode(0, true);
    cluster = undefined;
    // The writes in flight at the kill, and those after it, are answered (503) or cut off.
    await expect.poll(() => load.records.slice(before).filter((record) => record.attempts.length > 0 && !isAcknowledged(finalAnswer(record))).length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(6);
    cluster = await startKafkaCluster({ dataDir, nodes, heapMb: 384 });
    await load.acknowledgedMore(50, 90_000);
    const records = await load.stop();

    // A client that got no 201 writes again under a NEW key: had the first attempt landed after
    // all, the log would hold both, and the first would count as a refused write that landed.
    const retries: WriteRecord[] = [];
    for (const record of records.filter((candidate) => !isAcknowledged(finalAnswer(candidate)))) {
      const writer = Number(record.userId.split('-').at(-1));
      const key = randomUUID();
      const retry: WriteRecord = { side: record.side, userId: record.userId, itemId: record.itemId, key, attempts: [] };
      // The new write itself is retried under its own key while the service is still recovering (503).
      const deadline = Date.now() + 60_000;
      for (;;) {
        const answer = await call(`${target(record.side)}/v1/items/${record.itemId}/status`, { token: await token(record.side, writer), headers: { 'idempotency-key': key }, body: { status: 'in_progress', progress: 1, summary: 'written again under a new key' } });
        retry.attempts.push({ status: answer.status, eventId: answer.body?.eventId, replayed: answer.headers.get('idempotent-replayed') === 'true', code: answer.body?.code });
        if (answer.status !== 503 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? 1) * 250));
      }
      expect(retry.attempts.at(-1)?.status, JSON.stringify(retry.attempts)).toBe(201);
      retries.push(retry);
    }
    console.info(`[outage] outcomes: ${JSON.stringify(outcomeSummary(records))}; ${retries.length} written again under new keys`);
    expect(retries.length).toBeGreaterThan(0);
    const brokers = cluster.brokers;
    await logSettled(brokers, [`${prefix}.gd.events`, `${prefix}.hk.events`]);
    const violations = countViolations([...records, ...retries], await readSideLogs(brokers, prefix), undefined, { refusalsWroteNothing: true });
    expect(violations.slice(0, 20), `${violations.length} violations`).toEqual([]);
  });

  it('answers 503 with Retry-After and writes nothing while the broker is down, then accepts the retry', async () => {
    const token = await system.token('gd', 'coordinator', 'Development and Reform Commission');
    const url = `${system.url('gd-service')}/v1/items/2019-40/status`;
    const first = await call(url, { token, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress: 10, summary: 'Before the outage' } });
    expect(first.status).toBe(201);

    await cluster?.stop();
    cluster = undefined;
    const key = randomUUID();
    const body = { status: 'in_progress', progress: 20, summary: 'During the outage' };
    const started = Date.now();
    const refused = await call(url, { token, headers: { 'idempotency-key': key }, body });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('GDHK_LOG_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // The write model is untouched: the item is where the last acknowledged write left it.
    const read = await call(`${system.url('gd-service')}/v1/items/2019-40`, { token });
    expect(read.body).toMatchObject({ streamVersion: 1, progress: 10 });
    expect((await call(url, { token, headers: { 'idempotency-key': key }, body })).status).toBe(503);

    cluster = await startKafkaCluster({ dataDir, nodes, heapMb: 384 });
    let retried = refused;
    const deadline = Date.now() + 60_000;
    while (retried.status === 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Number(retried.headers.get('retry-after') ?? 1) * 250));
      retried = await call(url, { token, headers: { 'idempotency-key': key }, body });
    }
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.body).toMatchObject({ streamVersion: 2, commandId: key, data: { progress: 20 } });
    const again = await call(url, { token, headers: { 'idempotency-key': key }, body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(retried.body);

    const events = (await committedEvents(cluster.brokers, `${prefix}.gd.events`)).filter((event) => event.itemId === '2019-40');
    expect(events.map((event) => [event.itemId, event.streamVersion])).toEqual([
      ['2019-40', 1],
      ['2019-40', 2],
    ]);
    // The follower kept verifying after the outage: the item still takes writes.
    const next = await call(url, { token, headers: { 'idempotency-key': randomUUID() }, body: { ...body, progress: 30 } });
    expect(next.status).toBe(201);
    expect(next.body.streamVersion).toBe(3);
  });
});
