// bench/read: GET /v1/items/{itemId} and GET /v1/summary of joint-api (requests/s, p99), and in the
// same run a bare fastify route as the ratio's base. See RESULTS.md.
//   node bench/read/run.ts [--seconds 10] [--connections 10]
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { catalogue2019 } from '@gdhk/catalogue';
import { evolveSide, initialSideState, joint, parseEvent } from '@gdhk/domain';
import { devAuthKeys, issueToken } from '@gdhk/http';
import { GENESIS_HASH, generateSigningKey, sealEvent } from '@gdhk/integrity';
import { emptyItemDocument, indexEntryOf, readModelKeys, ReadModelStore, viewOf } from '@gdhk/readmodel';
import { Redis } from 'ioredis';
import { argument, ensureDir, machine, root, spawnService } from '../projection/support.ts';
import { startRedisServer } from '@gdhk/infra';
import { benchEnv } from '../env.ts';
import { machineInfo, processCpuMs } from '../lib.ts';

// autocannon ships no types: the fields read here are its documented result.
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const cannon = autocannon as unknown as (options: object, done: (error: Error | null, result: CannonResult) => void) => void;

const seconds = argument('seconds', 10);
const connections = argument('connections', 10);
const prefix = 'bench-read';
const say = (line: string) => console.error(`[bench/read] ${line}`);

const redisServer = benchEnv.REDIS_URL ? undefined : await startRedisServer();
const redisUrl = benchEnv.REDIS_URL ?? redisServer?.url ?? '';
const processes: { stop(): Promise<void> }[] = [];
try {
  // A read model of the 74 items of the 2019 plan, each with a few reports and a decision from both sides.
  const redis = new Redis(redisUrl);
  const store = new ReadModelStore(redis, readModelKeys(prefix).generation('bench'));
  const build = await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
  const keys = { gd: generateSigningKey('gd-bench', 'gd'), hk: generateSigningKey('hk-bench', 'hk') };
  const items = [];
  for (const item of catalogue2019.items()) {
    const document = emptyItemDocument(item.id, 0);
    for (const side of ['gd', 'hk'] as const) {
      let state = initialSideState(side, item.id);
      let prevHash = GENESIS_HASH;
      const data = [
        { type: 'item.department-assigned', data: { department: 'Transport and Housing Bureau' } },
        { type: 'item.status-reported', data: { status: 'in_progress', progress: 40, summary: 'Works under way', targetDate: '2026-12-31' } },
        { type: 'decision.proposed', data: { decisionId: randomUUID(), kind: 'escalate', rationale: 'needs the joint conference' } },
        { type: 'item.status-reported', data: { status: 'in_progress', progress: 60, summary: 'Phase two started', nextSteps: 'tendering' } },
      ];
      for (const [index, entry] of data.entries()) {
        const sealed = sealEvent({ eventId: `01940000-0000-7000-8000-${String(index).padStart(12, '0')}`, type: entry.type, schemaVersion: 1, side, itemId: item.id, streamVersion: index + 1, occurredAt: new Date(Date.UTC(2025, 0, 1 + index)).toISOString(), actor: { userId: `${side}-c`, department: 'Bureau', role: 'coordinator' }, commandId: 'c', correlationId: 'c', causationId: 'c', data: entry.data }, prevHash, keys[side]);
        prevHash = sealed.hash;
        state = evolveSide(state, parseEvent(sealed));
      }
      document.sides[side] = state;
    }
    document.joint = joint(document.sides.gd, document.sides.hk);
    items.push({ itemId: item.id, document: JSON.stringify(document), view: JSON.stringify(viewOf(document)), index: indexEntryOf(document) });
  }
  await store.apply({ buildId: build.buildId, expect: [], advance: [], items, feed: [] });
  await store.promote(readModelKeys(prefix), build.buildId, 'claim', new Date().toISOString());
  redis.disconnect();

  const keysDir = ensureDir(join(root, '.data', 'bench-keys'));
  const { privateKey } = await devAuthKeys(keysDir);
  const token = await issueToken(privateKey, { sub: 'bench', side: 'joint', roles: ['secretariat'], issuer: benchEnv.JWT_ISSUER, audience: benchEnv.JWT_AUDIENCE });
  // One token at full speed: the per-user rate limit would measure itself, not the reads.
  const api = await spawnService('services/joint-api/src/server.ts', { REDIS_URL: redisUrl, GDHK_TOPIC_PREFIX: prefix, GDHK_KEYS_DIR: keysDir, GDHK_RATE_LIMIT_PER_SECOND: '0' });
  processes.push(api);
  const bare = await spawnService('bench/read/bare-server.ts', {});
  processes.push(bare);

  // The server's CPU per request: what the ratio cannot show on a machine that autocannon and others share.
  const run = async (name: string, url: string, pid: number, headers: Record<string, string> = {}) => {
    say(`${name}: ${seconds} s, ${connections} connections`);
    const cpuBefore = processCpuMs(pid);
    const result = await new Promise<CannonResult>((resolve, reject) => cannon({ url, connections, duration: seconds, headers }, (error, done) => (error ? reject(error) : resolve(done))));
    const cpuMicrosPerRequest = Math.round(((processCpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total));
    const non2xx = result.non2xx + result.errors;
    return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx, cpuMicrosPerRequest };
  };
  const auth = { authorization: `Bearer ${token}` };
  const [apiPid, barePid] = [api.child.pid ?? 0, bare.child.pid ?? 0];
  await run('warm-up', `${api.url}/v1/items/2019-05`, apiPid, auth);
  const results = [
    await run('bare fastify route', `${bare.url}/bare`, barePid),
    await run('GET /v1/items/{itemId}', `${api.url}/v1/items/2019-05`, apiPid, auth),
    await run('GET /v1/summary', `${api.url}/v1/summary`, apiPid, auth),
  ];
  const base = results[0]?.rps ?? Number.NaN;
  console.log([
    `## bench/read — ${new Date().toISOString()}`,
    `- machine: ${machine()}; autocannon runs on the same machine`,
    `- command: node bench/read/run.ts --seconds ${seconds} --connections ${connections}`,
    '',
    '| route | requests/s | ratio to bare | p50 ms | p99 ms | server CPU µs/request | non-2xx |',
    '|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${Math.round(r.rps)} | ${(r.rps / base).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.cpuMicrosPerRequest} | ${r.non2xx} |`),
  ].join('\n'));
  const [, item, summary] = results;
  const ratio = (r: (typeof results)[number] | undefined) => (r ? Number((r.rps / base).toFixed(3)) : null);
  console.log(JSON.stringify({
    bench: 'read',
    machine: machineInfo(),
    results: {
      connections,
      seconds,
      bareRequestsPerSecond: Math.round(base),
      itemRequestsPerSecond: Math.round(item?.rps ?? Number.NaN),
      summaryRequestsPerSecond: Math.round(summary?.rps ?? Number.NaN),
      itemRatioToBare: ratio(item),
      summaryRatioToBare: ratio(summary),
      itemP99Ms: item?.p99 ?? null,
      summaryP99Ms: summary?.p99 ?? null,
      cpuMicrosPerRequest: { bare: results[0]?.cpuMicrosPerRequest ?? null, item: item?.cpuMicrosPerRequest ?? null, summary: summary?.cpuMicrosPerRequest ?? null },
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    },
  }));
} finally {
  for (const process of processes) await process.stop();
  await redisServer?.stop();
}
