// bench/lag: acknowledged write (201 from a side service) → visible in joint-api (delivered on its
// event stream), p50/p99 at a fixed write rate. See RESULTS.md.
//   node bench/lag/run.ts [--rate 1000] [--seconds 20]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue2019 } from '@gdhk/catalogue';
import { devAuthKeys, issueToken } from '@gdhk/http';
import { createContractTopics } from '@gdhk/infra';
import { ensureDevKeySet } from '@gdhk/integrity';
import { benchEnv } from '../env.ts';
import { machineInfo, percentile } from '../lib.ts';
import { argument, benchInfra, machine, spawnService, type Spawned } from '../projection/support.ts';

const rate = argument('rate', 1000);
const seconds = argument('seconds', 20);
const partitions = argument('partitions', 6);
const say = (line: string) => console.error(`[bench/lag] ${line}`);

const infra = await benchInfra();
const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-bench-lag-keys-'));
const processes: Spawned[] = [];
try {
  const prefix = `bench-lag-${randomUUID().slice(0, 8)}`;
  await createContractTopics(infra.brokers, { prefix, partitions, replicationFactor: 1 });
  await ensureDevKeySet(keysDir);
  const { privateKey } = await devAuthKeys(keysDir);
  const env = { KAFKA_BROKERS: infra.brokers.join(','), REDIS_URL: infra.redisUrl, GDHK_TOPIC_PREFIX: prefix, GDHK_KEYS_DIR: keysDir, RATE_LIMIT_PER_MINUTE: '10000000' };
  const gd = await spawnService('services/side-service/src/server.ts', { ...env, SIDE: 'gd' });
  processes.push(gd);
  const hk = await spawnService('services/side-service/src/server.ts', { ...env, SIDE: 'hk' });
  processes.push(hk);
  processes.push(await spawnService('services/projection/src/server.ts', env));
  const api = await spawnService('services/joint-api/src/server.ts', env);
  processes.push(api);
  const token = (side: 'gd' | 'hk' | 'joint', role: 'coordinator' | 'secretariat') => issueToken(privateKey, { sub: `bench-${side}`, side, roles: [role], issuer: benchEnv.JWT_ISSUER, audience: benchEnv.JWT_AUDIENCE });
  const tokens = { gd: await token('gd', 'coordinator'), hk: await token('hk', 'coordinator') };
  const secretariat = await token('joint', 'secretariat');

  // Visible = delivered by joint-api's event stream (the same Redis write that updates the item views).
  const seen = new Map<string, number>();
  const abort = new AbortController();
  let response: Response | undefined;
  for (let attempt = 0; attempt < 100 && response?.status !== 200; attempt++) {
    response = await fetch(`${api.url}/v1/feed/stream`, { headers: { authorization: `Bearer ${secretariat}` }, signal: abort.signal });
    if (response.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reader = response?.body?.getReader();
  if (!reader) throw new Error('joint-api event stream did not open');
  const listening = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        const now = performance.now();
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const eventId = /"eventId":"([^"]+)"/.exec(block)?.[1];
          if (eventId) seen.set(eventId, now);
        }
      }
    } catch {
      // aborted at the end
    }
  })();

  const items = catalogue2019.items().map((item) => item.id);
  const acked = new Map<string, number>();
  let failed = 0;
  const total = rate * seconds;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  say(`writing ${total} status reports at ${rate}/s`);
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const side = index % 2 === 0 ? 'gd' : 'hk';
    const itemId = items[Math.floor(index / 2) % items.length] ?? '2019-01';
    const request = (async () => {
      const reply = await fetch(`${(side === 'gd' ? gd : hk).url}/v1/items/${itemId}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[side]}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ status: 'in_progress', progress: index % 100, summary: `report ${index}` }),
      });
      const at = performance.now();
      const body = (await reply.json()) as { eventId?: string };
      if (reply.status === 201 && body.eventId) acked.set(body.eventId, at);
      else failed++;
    })().catch(() => void failed++);
    inFlight.add(request);
    // request never rejects (the catch above), so neither does this clean-up: nothing to await.
    void request.finally(() => inFlight.delete(request));
  }
  await Promise.all(inFlight);
  const writeSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 30_000;
  while ([...acked.keys()].some((id) => !seen.has(id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  abort.abort();
  await listening;

  const lags = [...acked].map(([id, at]) => Math.max(0, (seen.get(id) ?? Number.POSITIVE_INFINITY) - at)).sort((a, b) => a - b);
  const missing = lags.filter((lag) => !Number.isFinite(lag)).length;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log([
    `## bench/lag — ${new Date().toISOString()}`,
    `- machine: ${machine()}; Kafka, Redis, both side services, the projection, joint-api and the load generator all on it`,
    `- command: node bench/lag/run.ts --rate ${rate} --seconds ${seconds} --partitions ${partitions}`,
    `- writes: ${acked.size} acknowledged (${Math.round(acked.size / writeSeconds)}/s achieved), ${failed} failed, ${missing} never seen`,
    `- acknowledged → visible in joint-api: p50 ${ms(percentile(lags, 50))}, p99 ${ms(percentile(lags, 99))}, max ${ms(lags.at(-1) ?? Number.NaN)}`,
  ].join('\n'));
  const round = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(1)) : null);
  console.log(JSON.stringify({
    bench: 'lag',
    machine: machineInfo(),
    results: {
      rate,
      seconds,
      acknowledged: acked.size,
      achievedPerSecond: Math.round(acked.size / writeSeconds),
      p50Ms: round(percentile(lags, 50)),
      p99Ms: round(percentile(lags, 99)),
      maxMs: round(lags.at(-1) ?? Number.NaN),
      failed,
      neverSeen: missing,
    },
  }));
} finally {
  for (const process of processes.reverse()) await process.stop();
  await infra.stop();
  rmSync(keysDir, { recursive: true, force: true });
}
