import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue2019 } from '@gdhk/catalogue';
import { itemPartitioner } from '@gdhk/eventlog';
import { readKeyRingFile } from '@gdhk/integrity';
import { LogReader } from '@gdhk/verified-log';
import { call, logPositions, readCommitted, startSystem, testInfra, type RunningProcess, type TestSystem } from '@gdhk/tests/support';

interface LoggedEvent {
  eventId: string;
  itemId: string;
  streamVersion: number;
  hash: string;
  prevHash: string;
}

// Two gd-service instances on the same topics, both taking conflicting writes on the same items.
describe('one writer per side', () => {
  const infra = testInfra('writers');
  let system: TestSystem;
  const items = ['2019-50', '2019-51', '2019-52'];
  const departments = ['Planning', 'Lands', 'Finance'];
  const topic = () => `${infra.prefix}.gd.events`;

  beforeAll(async () => {
    await infra.createTopics(3);
    system = await startSystem(infra, ['gd-service']);
  });
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  /** Every committed record of the GD topic, read to its end (read_committed). */
  const readTopic = async () => (await readCommitted(infra.brokers, [topic()])).map((record) => ({ partition: record.partition, offset: String(record.offset), key: record.key, value: record.value as unknown, timestamp: record.timestamp }));

  it('never forks a stream: the newest instance fences the older, which steps down', async () => {
    // The operations are drawn from a logged seed; GDHK_TEST_SEED replays a run's choices (not its timing).
    const seed = Number(process.env.GDHK_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.info(`[writers] seed ${seed}`);
    const random = mulberry32(seed);
    const token = await system.token('gd', 'coordinator', 'Development and Reform Commission');
    // One user per load loop: the per-user rate limit must not be what this test measures.
    const tokens = await Promise.all(Array.from({ length: 9 }, (_, i) => system.token('gd', 'coordinator', 'Development and Reform Commission', `gd-writer-${i}`)));
    let loopCount = 0;
    const acknowledged: LoggedEvent[] = [];
    const answers = new Map<string, number[]>();
    const writers: { label: string; process: RunningProcess }[] = [];

    const fire = async (label: string, process: RunningProcess, running: () => boolean) => {
      const token = tokens[loopCount++ % tokens.length] ?? '';
      while (running()) {
        const item = items[Math.floor(random() * items.length)] ?? '2019-50';
        const department = departments[Math.floor(random() * departments.length)] ?? 'Planning';
        const roll = random();
        const answer = await (roll < 0.5
          ? call(`${process.url}/v1/items/${item}/status`, { token, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress: Math.floor(roll * 100), summary: `from ${label}` } })
          : roll < 0.8
            ? call(`${process.url}/v1/items/${item}/assignments`, { token, headers: { 'idempotency-key': randomUUID() }, body: { department } })
            : call(`${process.url}/v1/items/${item}/assignments/${department}`, { method: 'DELETE', token, headers: { 'idempotency-key': randomUUID() } })
        ).catch(() => ({ status: 0, body: undefined }));
        answers.set(label, [...(answers.get(label) ?? []), answer.status]);
        if (answer.status === 201) acknowledged.push(answer.body);
        else if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const load = (label: string, process: RunningProcess) => {
      writers.push({ label, process });
      let running = true;
      const loops = [1, 2, 3].map(() => fire(label, process, () => running));
      return async () => {
        running = false;
        await Promise.all(loops);
      };
    };

    const first = system.processes.get('gd-service');
    if (!first) throw new Error('gd-service is not running');
    const stopA = load('A', first);
    // Load phases end on a count of acknowledged writes, not on a clock.
    const acknowledgedBy = (label: string, count: number) =>
      expect.poll(() => answers.get(label)?.filter((status) => status === 201).length ?? 0, { timeout: 30_000, interval: 50, message: `${label} did not get ${count} writes acknowledged` }).toBeGreaterThanOrEqual(count);
    await acknowledgedBy('A', 20);

    // B starts while A is writing: B's start fences A before B reads the log.
    const second = await system.start('gd-service');
    const stopB = load('B', second);
    // A learns it is fenced at its next commit; on a busy machine that may take a while.
    await expect
      .poll(async () => (await call(`${first.url}/health/ready`)).status, { timeout: 30_000, interval: 100, message: 'A, fenced by B, never stepped down' })
      .toBe(503)
      .catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n--- A's log ---\n${first.output()}\n--- B's log ---\n${second.output()}`);
      });
    const fenced = await call(`${first.url}/v1/items/2019-50/status`, { token, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress: 1, summary: 'x' } });
    expect(fenced.status).toBe(503);
    expect(fenced.body.code).toBe('GDHK_WRITER_FENCED');

    // A comes back (a restart, as an orchestrator would do it) and takes over from B.
    await stopA();
    await first.stop();
    const third = await system.start('gd-service');
    const stopA2 = load('A2', third);
    await acknowledgedBy('A2', 30);
    await Promise.all([stopB(), stopA2()]);
    await second.stop();

    for (const { label } of writers) expect(answers.get(label)?.filter((status) => status === 201).length, `${label} wrote nothing`).toBeGreaterThan(0);
    expect(answers.get('B')?.filter((status) => status === 503).length, 'B was never fenced').toBeGreaterThan(0);

    const committed = await readTopic();
    // Every committed record verifies as the next event of its stream, by the contract's rules.
    const shape = { topics: { gd: topic(), hk: `${infra.prefix}.hk.events` }, ring: readKeyRingFile(join(system.keysDir, 'keyset.json')), isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf: itemPartitioner(3) };
    const reader = new LogReader(shape);
    const streams = new Map<string, LoggedEvent[]>();
    for (const record of committed) {
      const verdicts = reader.read({ ...record, topic: topic(), value: JSON.stringify(record.value) });
      for (const verdict of verdicts) expect(['applied', 'pending', 'sealed'], JSON.stringify(verdict)).toContain(verdict.kind);
      if ('kind' in (record.value as object)) continue;
      const event = record.value as LoggedEvent;
      streams.set(event.itemId, [...(streams.get(event.itemId) ?? []), event]);
    }
    for (const [itemId, events] of streams) {
      expect(events.map((event) => event.streamVersion), `stream gd/${itemId} forked or has gaps`).toEqual(events.map((_, index) => index + 1));
      events.forEach((event, index) => expect(event.prevHash).toBe(index === 0 ? '0'.repeat(64) : events[index - 1]?.hash));
    }
    // Every acknowledged write is in the log, exactly once.
    const logged = new Map(committed.map((record) => [(record.value as LoggedEvent).eventId, record]));
    for (const event of acknowledged) expect(logged.has(event.eventId), `acknowledged ${event.itemId} v${event.streamVersion} is missing`).toBe(true);
    expect(new Set(acknowledged.map((event) => event.eventId)).size).toBe(acknowledged.length);

    const offsets = [...(await logPositions(infra.brokers, [topic()])).values()].reduce((sum, end) => sum + end, 0n);
    console.info(
      `[writers] ${acknowledged.length} acknowledged writes (${writers.map(({ label }) => `${label}: ${JSON.stringify(countBy(answers.get(label) ?? []))}`).join('; ')}); ` +
        `${committed.length} committed events in ${streams.size} streams, ${offsets} offsets in all (aborted records and transaction markers included)`,
    );
  });
});

function countBy(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same draws. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
