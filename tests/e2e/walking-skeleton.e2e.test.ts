import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, spawnInstance, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';

const root = join(import.meta.dirname, '..', '..');

// The whole system as `npm start` runs it: four processes over real Kafka and Redis.
describe('walking skeleton', () => {
  const infra = testInfra('skeleton');
  let system: TestSystem;

  beforeAll(async () => {
    await infra.createTopics();
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
  });
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  it('every process is live and ready', async () => {
    for (const name of ['gd-service', 'hk-service', 'projection', 'joint-api'] as const) {
      expect((await call(`${system.url(name)}/health/live`)).status).toBe(200);
      expect((await call(`${system.url(name)}/health/ready`)).status).toBe(200);
    }
  });

  // docs/decisions.md: the .ts sources run as they are, through Node's own type stripping.
  it('every process runs as `node <server.ts>` on a Node within engines: no loader, no tsx', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    expect(major === 26 || (major === 24 && minor >= 6), `Node ${process.version} is outside engines`).toBe(true);
    const entries = { 'gd-service': 'side-service', 'hk-service': 'side-service', projection: 'projection', 'joint-api': 'joint-api' } as const;
    for (const name of ['gd-service', 'hk-service', 'projection', 'joint-api'] as const) {
      const pid = system.processes.get(name)?.child.pid;
      expect(pid, name).toBeTypeOf('number');
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      expect(argv, name).toEqual([process.execPath, join(root, 'services', entries[name], 'src', 'server.ts')]);
      expect(readlinkSync(`/proc/${pid}/exe`), name).toBe(realpathSync(process.execPath));
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const nodeOptions = environment.find((entry) => entry.startsWith('NODE_OPTIONS='));
      expect(nodeOptions ?? '', `${name}: ${nodeOptions}`).not.toMatch(/tsx|--(?:import|loader|require|experimental-loader)\b/);
    }
  });

  it('a report posted to gd-service appears in joint-api within 2 s', async () => {
    const coordinator = await system.token('gd', 'coordinator', 'Transport and Housing');
    const secretariat = await system.token('joint', 'secretariat');
    const posted = await call(`${system.url('gd-service')}/v1/items/2019-05/status`, {
      token: coordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'in_progress', progress: 40, summary: 'Liantang/Heung Yuen Wai works under way' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ type: 'item.status-reported', side: 'gd', itemId: '2019-05', streamVersion: 1 });

    const acknowledged = Date.now();
    await expect
      .poll(async () => {
        const read = await call(`${system.url('joint-api')}/v1/items/2019-05`, { token: secretariat });
        return read.status === 200 ? read.body : undefined;
      }, { timeout: 2000, interval: 20, message: 'the report did not reach joint-api within 2 s' })
      .toMatchObject({ itemId: '2019-05', status: 'in_progress', sides: { gd: { streamVersion: 1, status: 'in_progress', progress: 40 }, hk: { status: 'not_started' } } });
    console.info(`[skeleton] the report reached joint-api ${Date.now() - acknowledged} ms after its 201`);
  });

  it('hk-service writes to the HK stream, and the joint view combines both sides', async () => {
    const coordinator = await system.token('hk', 'coordinator', 'Security Bureau');
    const secretariat = await system.token('joint', 'secretariat');
    const posted = await call(`${system.url('hk-service')}/v1/items/2019-05/status`, {
      token: coordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'blocked', progress: 20, summary: 'Awaiting approval', blockers: 'Land resumption' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ side: 'hk', streamVersion: 1 });
    await expect
      .poll(async () => (await call(`${system.url('joint-api')}/v1/items/2019-05`, { token: secretariat })).body.status, { timeout: 5000, interval: 50 })
      .toBe('blocked');
  });

  /** `npm run token -- …` as the README runs it, with the system's keys and `env`. */
  const mint = (env: Record<string, string>, ...args: string[]) => {
    const run = spawnSync('npm', ['run', '-s', 'token', '--', ...args], { cwd: root, env: { ...process.env, GDHK_KEYS_DIR: system.keysDir, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    return run.stdout.trim();
  };

  it('`npm run token` prints tokens that each service accepts for its side and refuses for another', { timeout: 120_000 }, async () => {
    const token = (...args: string[]) => mint({}, ...args);
    const gdStaff = token('--side', 'gd', '--role', 'staff', '--department', 'Transport and Housing');
    const hkCoordinator = token('--side', 'hk', '--role', 'coordinator');
    const secretariat = token('--side', 'joint', '--role', 'secretariat');
    const auditor = token('--side', 'joint', '--role', 'auditor');
    expect(gdStaff).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await call(`${system.url('gd-service')}/v1/items/2019-01`, { token: gdStaff })).status).toBe(200);
    expect((await call(`${system.url('hk-service')}/v1/items/2019-01`, { token: hkCoordinator })).status).toBe(200);
    expect((await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: secretariat })).status).toBe(200);
    expect((await call(`${system.url('joint-api')}/v1/digest`, { token: auditor })).status).toBe(200);
    // The README's write, with its token: a coordinator reports progress.
    const written = await call(`${system.url('hk-service')}/v1/items/2019-01/status`, { token: hkCoordinator, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress: 10, summary: 'Operating arrangements under review' } });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    expect(written.body.actor).toMatchObject({ userId: 'hk-coordinator-1', role: 'coordinator' });
    expect((await call(`${system.url('gd-service')}/v1/items/2019-01`, { token: hkCoordinator })).status).toBe(403);
    expect((await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: gdStaff })).status).toBe(403);
  });

  it('`npm run token` honours JWT_ISSUER and JWT_AUDIENCE, as the services do', { timeout: 120_000 }, async () => {
    const claims = { JWT_ISSUER: 'https://idp.example.gov', JWT_AUDIENCE: 'gdhk-staging' };
    const api = await spawnInstance(infra, system, 'joint-api', claims);
    try {
      const token = mint(claims, '--side', 'joint', '--role', 'secretariat');
      expect(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))).toMatchObject({ iss: 'https://idp.example.gov', aud: 'gdhk-staging' });
      expect((await call(`${api.url}/v1/items/2019-01`, { token })).status).toBe(200);
      // The system's joint-api runs with the defaults, and so refuses it; the defaults' token, the other way round.
      expect((await call(`${system.url('joint-api')}/v1/items/2019-01`, { token })).status).toBe(401);
      expect((await call(`${api.url}/v1/items/2019-01`, { token: mint({}, '--side', 'joint', '--role', 'secretariat') })).status).toBe(401);
    } finally {
      await api.stop();
    }
  });
});
