import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { topicNames } from '@gdhk/config';
import { evolveSide, initialSideState, joint, jointView, type JointItem, type SideItemState } from '@gdhk/domain';
import { catalogue2019 } from '@gdhk/catalogue';
import { itemPartitioner } from '@gdhk/eventlog';
import { canonicalJson, generateSigningKey, readKeyRingFile, sealEvent, sha256Hex } from '@gdhk/integrity';
import { LogReader } from '@gdhk/verified-log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openFeedStream, readCommitted, readWholeTopic, SideWriter, spawnInstance, startSystem, testInfra, type RunningProcess, type TestSystem } from '@gdhk/tests/support';

// The read side over the whole system: reports and decisions through the side services (and a
// few events written straight to the side topics), read back through joint-api.
describe('joint-api over the projection', () => {
  const infra = testInfra('joint');
  const topics = topicNames(infra.prefix);
  let system: TestSystem;
  let secondApi: RunningProcess;
  let writer: SideWriter;
  let secretariat: string;
  const gd = { coordinator: '' };
  const hk = { coordinator: '' };

  beforeAll(async () => {
    await infra.createTopics();
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
    secondApi = await spawnInstance(infra, system, 'joint-api', { GDHK_SSE_KEEPALIVE_MS: '300' });
    writer = new SideWriter(infra, system.keysDir);
    await writer.connect();
    secretariat = await system.token('joint', 'secretariat');
    gd.coordinator = await system.token('gd', 'coordinator', 'Transport and Housing');
    hk.coordinator = await system.token('hk', 'coordinator', 'Security Bureau');
  });
  afterAll(async () => {
    await writer?.disconnect();
    await secondApi?.stop();
    await system?.stop();
    await infra.cleanup();
  });

  const post = async (side: 'gd' | 'hk', path: string, body?: unknown) =>
    call(`${system.url(side === 'gd' ? 'gd-service' : 'hk-service')}${path}`, { method: 'POST', token: side === 'gd' ? gd.coordinator : hk.coordinator, headers: { 'idempotency-key': randomUUID() }, body: body ?? {} });
  /** A write that must succeed on its first attempt: the deciding side catches up with the other first. */
  const accepted = async (side: 'gd' | 'hk', path: string, body?: unknown) => {
    const answer = await post(side, path, body);
    expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(201);
    return answer.body;
  };
  const item = (itemId: string, headers: Record<string, string> = {}) => call(`${system.url('joint-api')}/v1/items/${itemId}`, { token: secretariat, headers });
  const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });
  const complete = async (itemId: string) => {
    for (const side of ['gd', 'hk'] as const) expect((await post(side, `/v1/items/${itemId}/status`, { status: 'completed', progress: 100, summary: 'done' })).status).toBe(201);
    await eventually(async () => (await item(itemId)).body.sides.hk.status).toBe('completed');
    await eventually(async () => (await item(itemId)).body.sides.gd.status).toBe('completed');
  };

  it('a close_item proposed by GD and approved by HK closes the item', async () => {
    await complete('2019-10');
    const decisionId: string = (await accepted('gd', '/v1/decisions', { itemId: '2019-10', kind: 'close_item', rationale: 'both sides report completion' })).data.decisionId;
    await eventually(async () => (await item('2019-10')).body.status).toBe('awaiting_decision');
    expect((await item('2019-10')).body.openDecisions).toMatchObject([{ decisionId, kind: 'close_item', state: 'open', proposedBy: 'gd' }]);

    await accepted('hk', `/v1/decisions/${decisionId}/approve`, { comment: 'agreed' });
    await eventually(async () => (await item('2019-10')).body.status).toBe('closed');
    const effective = await call(`${system.url('joint-api')}/v1/decisions?state=effective&itemId=2019-10`, { token: secretariat });
    expect(effective.body.decisions).toMatchObject([{ decisionId, state: 'effective', resolution: { reason: 'approved', side: 'hk' } }]);
  });

  it('a withdrawal racing an approval resolves by the contract: the answer wins whenever it was written', async () => {
    // Three races with real timing; whichever way each goes, the outcome must be the one the rule
    // gives for what reached the log: an approval in the log wins, else the withdrawal.
    for (const itemId of ['2019-11', '2019-13', '2019-14']) {
      await complete(itemId);
      const decisionId: string = (await accepted('gd', '/v1/decisions', { itemId, kind: 'close_item', rationale: 'done on both sides' })).data.decisionId;
      const [withdrawn, approved] = await Promise.all([post('gd', `/v1/decisions/${decisionId}/withdraw`), post('hk', `/v1/decisions/${decisionId}/approve`)]);
      const logged = (await readCommitted(infra.brokers, [topics.side.gd, topics.side.hk])).map((record) => record.value).filter((event) => event.data?.decisionId === decisionId);
      const loggedTypes = logged.map((event) => event.type).sort();
      // Every 201 is in the log and every refusal is not: the log holds what was answered, no more.
      expect(loggedTypes).toEqual(['decision.proposed', ...(approved.status === 201 ? ['decision.approved'] : []), ...(withdrawn.status === 201 ? ['decision.withdrawn'] : [])].sort());
      for (const answer of [withdrawn, approved]) if (answer.status !== 201) expect(answer.body).toMatchObject({ status: 409, code: 'GDHK_DECISION_NOT_OPEN' });
      expect(loggedTypes.length, 'neither the withdrawal nor the approval was written').toBeGreaterThan(1);
      const expected = loggedTypes.includes('decision.approved') ? 'effective' : 'withdrawn';
      console.info(`[race] ${itemId}: withdraw ${withdrawn.status}, approve ${approved.status} → ${expected}`);
      await eventually(async () => (await call(`${system.url('joint-api')}/v1/decisions?itemId=${itemId}`, { token: secretariat })).body.decisions[0]?.state).toBe(expected);
      expect((await item(itemId)).body.status).toBe(expected === 'effective' ? 'closed' : 'in_progress');
    }

    // The same race, crossed for certain: GD's withdrawal comes before HK's approval in the cross-side order.
    const escalation = randomUUID();
    const start = Date.now() - 60_000;
    await writer.write('gd', [
      { itemId: '2019-12', type: 'decision.proposed', data: { decisionId: escalation, kind: 'escalate', rationale: 'stalled' }, occurredAt: new Date(start).toISOString() },
      { itemId: '2019-12', type: 'decision.withdrawn', data: { decisionId: escalation }, occurredAt: new Date(start + 1000).toISOString() },
    ]);
    await writer.write('hk', [{ itemId: '2019-12', type: 'decision.approved', data: { decisionId: escalation }, occurredAt: new Date(start + 2000).toISOString() }]);
    await eventually(async () => (await item('2019-12')).body.escalated).toBe(true);
    const [decision] = (await call(`${system.url('joint-api')}/v1/decisions?itemId=2019-12`, { token: secretariat })).body.decisions;
    expect(decision).toMatchObject({ state: 'effective', resolution: { reason: 'approved', side: 'hk' } });
    expect(decision.answers).toMatchObject([{ type: 'withdrawn', applied: false }, { type: 'approved', applied: true }]);
  });

  it('a forged and an altered event are quarantined: in the DLQ, shown on their items, changing nothing; the genuine events still apply', async () => {
    const [first] = await writer.write('gd', [{ itemId: '2019-20', type: 'item.status-reported', data: { status: 'in_progress', progress: 10, summary: 'started' } }]);
    expect(first).toMatchObject({ itemId: '2019-20', side: 'gd', streamVersion: 1 });
    // Altered: the content changed after sealing.
    const sealed = writer.seal('gd', { itemId: '2019-20', type: 'item.status-reported', data: { status: 'in_progress', progress: 20, summary: 'going' } });
    const altered = { ...sealed, data: { status: 'completed', progress: 100, summary: 'done (not really)' } };
    // Forged: sealed with a key that merely claims GD's key id.
    const forger = generateSigningKey(String((first?.signature as { keyId: string }).keyId), 'gd');
    const genuine = writer.seal('gd', { itemId: '2019-21', type: 'item.status-reported', data: { status: 'in_progress', progress: 5, summary: 'x' } });
    const { hash: _h, signature: _s, prevHash, ...content } = genuine;
    const forged = sealEvent({ ...content, data: { status: 'completed', progress: 100, summary: 'forged' } }, String(prevHash), forger);
    await writer.writeRaw('gd', [
      { key: '2019-20', value: JSON.stringify(altered) },
      { key: '2019-21', value: JSON.stringify(forged) },
      // The genuine events after the hostile ones: they apply as if nothing had happened.
      { key: '2019-20', value: JSON.stringify(sealed) },
      { key: '2019-21', value: JSON.stringify(genuine) },
    ]);
    expect((await post('gd', '/v1/items/2019-22/status', { status: 'in_progress', progress: 50, summary: 'unaffected' })).status).toBe(201);

    await eventually(async () => (await item('2019-22')).body.sides.gd.progress).toBe(50);
    await eventually(async () => (await item('2019-21')).body.sides.gd.progress).toBe(5);
    await eventually(async () => (await item('2019-20')).body.sides.gd.progress).toBe(20);
    const item20 = (await item('2019-20')).body;
    expect(item20.integrity).toContain('bad_hash');
    expect(item20.quarantine).toMatchObject({ count: 1, last: { reason: 'bad_hash', topic: topics.side.gd, offset: expect.any(String) } });
    expect(item20.sides.gd).toMatchObject({ streamVersion: 2, status: 'in_progress' });
    const item21 = (await item('2019-21')).body;
    expect(item21.integrity).toContain('bad_signature');
    expect(item21.quarantine).toMatchObject({ count: 1, last: { reason: 'bad_signature' } });
    expect(item21.sides.gd).toMatchObject({ streamVersion: 1, status: 'in_progress' });
    expect((await item('2019-22')).body.integrity).toBe('ok');

    const dlq = (await readWholeTopic(infra, topics.dlq)).map((record) => JSON.parse(record.value ?? '{}'));
    expect(dlq).toEqual(expect.arrayContaining([
      expect.objectContaining({ reason: 'bad_hash', stream: 'gd/2019-20', topic: topics.side.gd, partition: expect.any(Number), offset: expect.any(String) }),
      expect.objectContaining({ reason: 'bad_signature', stream: 'gd/2019-21', topic: topics.side.gd }),
    ]));
    expect(dlq.filter((letter) => letter.stream === 'gd/2019-20' || letter.stream === 'gd/2019-21')).toHaveLength(2);
    const metrics = await (await fetch(`${system.url('projection')}/metrics`)).text();
    expect(metrics).toMatch(/gdhk_records_quarantined_total\{reason="bad_signature"[^}]*\} 1/);
    expect(metrics).toMatch(/gdhk_records_quarantined_total\{reason="bad_hash"[^}]*\} 1/);
    const summary = await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat });
    expect(summary.body.flagged).toBeGreaterThanOrEqual(2);
  });

  it('serves every endpoint of the contract: filters, summary, languages, overdue, auth and /docs', async () => {
    expect((await post('hk', '/v1/items/2019-30/status', { status: 'blocked', progress: 10, summary: 'waiting', blockers: 'land', targetDate: '2020-06-30' })).status).toBe(201);
    await eventually(async () => (await item('2019-30')).body.status).toBe('blocked');
    const english = await item('2019-30', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(english.headers.get('content-language')).toBe('en');
    expect(english.body).toMatchObject({ locale: 'en', overdue: true, targetDate: '2020-06-30' });
    expect((await item('2019-30', { 'accept-language': 'zh-CN' })).body.locale).toBe('zh-Hans');

    const overdue = await call(`${system.url('joint-api')}/v1/items?overdue=true`, { token: secretariat });
    expect(overdue.body.items.map((entry: { itemId: string }) => entry.itemId)).toContain('2019-30');
    const blocked = await call(`${system.url('joint-api')}/v1/items?status=blocked&chapter=${english.body.chapter.number}`, { token: secretariat });
    expect(blocked.body.items.map((entry: { itemId: string }) => entry.itemId)).toEqual(['2019-30']);
    const all = await call(`${system.url('joint-api')}/v1/items`, { token: secretariat });
    expect(all.body.items).toHaveLength(74);

    const summary = await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat, headers: { 'accept-language': 'en' } });
    expect(summary.body.total).toBe(74);
    expect(summary.body.chapters).toHaveLength(9);
    expect(summary.body.byStatus.blocked).toBeGreaterThanOrEqual(1);
    expect(summary.body.byStatus.closed).toBeGreaterThanOrEqual(1);
    expect(summary.body.overdue).toBeGreaterThanOrEqual(1);
    expect(summary.body.chapters.reduce((sum: number, chapter: { total: number }) => sum + chapter.total, 0)).toBe(74);

    expect((await call(`${system.url('joint-api')}/v1/summary`)).status).toBe(401);
    expect((await call(`${system.url('joint-api')}/v1/summary`, { token: gd.coordinator })).status).toBe(403);
    expect((await call(`${system.url('joint-api')}/v1/summary`, { token: await system.token('joint', 'staff') })).status).toBe(403);
    expect((await call(`${system.url('joint-api')}/v1/summary`, { token: await system.token('joint', 'auditor') })).status).toBe(200);
    expect((await item('2019-99')).status).toBe(404);
    expect((await call(`${system.url('joint-api')}/v1/feed?after=garbage`, { token: secretariat })).body.code).toBe('GDHK_INVALID_CURSOR');

    const docs = await call(`${system.url('joint-api')}/docs`);
    for (const path of ['/v1/items', '/v1/items/{itemId}', '/v1/summary', '/v1/decisions', '/v1/feed', '/v1/feed/stream', '/v1/digest', '/v1/events/{eventId}/proof']) expect(Object.keys(docs.body.paths)).toContain(path);
  });

  it('the feed pages and the event stream resume exactly after a cursor, on any instance, without loss or repetition', async () => {
    const readAll = async (base: string) => {
      const events: { cursor: string; event: { eventId: string; side: string; itemId: string; streamVersion: number } }[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await call(`${base}/v1/feed?limit=7${after ? `&after=${after}` : ''}`, { token: secretariat });
        expect(page.status).toBe(200);
        events.push(...page.body.events);
        after = page.body.next;
        if (!page.body.more && page.body.events.length === 0) return { events, next: after };
      }
    };
    const { events, next } = await readAll(system.url('joint-api'));
    expect(new Set(events.map((entry) => entry.event.eventId)).size).toBe(events.length);
    const lastVersion = new Map<string, number>();
    for (const { event } of events) {
      const stream = `${event.side}/${event.itemId}`;
      expect(event.streamVersion).toBe((lastVersion.get(stream) ?? 0) + 1);
      lastVersion.set(stream, event.streamVersion);
    }

    const stream = await openFeedStream(system.url('joint-api'), secretariat);
    const streamed = await stream.take(events.length);
    expect(streamed.map((entry) => entry.data.event.eventId)).toEqual(events.map((entry) => entry.event.eventId));
    stream.close();
    const lastId = streamed.at(-1)?.id ?? '';

    expect((await post('gd', '/v1/items/2019-40/status', { status: 'in_progress', progress: 1, summary: 'one' })).status).toBe(201);
    expect((await post('hk', '/v1/items/2019-41/status', { status: 'in_progress', progress: 2, summary: 'two' })).status).toBe(201);
    const resumed = await Promise.all([system.url('joint-api'), secondApi.url].map((base) => openFeedStream(base, secretariat, { lastEventId: lastId })));
    for (const client of resumed) {
      const fresh = await client.take(2);
      expect(fresh.map((entry) => `${entry.data.event.itemId}/${entry.data.event.streamVersion}`).sort()).toEqual(['2019-40/1', '2019-41/1']);
    }
    // Live: both clients are connected and idle when the next event is written; it is the very next
    // entry each receives (so nothing else came after the two above), within the deadline.
    const marker = await accepted('hk', '/v1/items/2019-42/status', { status: 'in_progress', progress: 3, summary: 'live' });
    const written = Date.now();
    for (const client of resumed) {
      expect((await client.take(1, 5000)).map((entry) => entry.data.event.eventId)).toEqual([marker.eventId]);
      client.close();
    }
    console.info(`[sse] a live event reached both connected clients ${Date.now() - written} ms after its 201`);
    const paged = await call(`${secondApi.url}/v1/feed?after=${next}`, { token: secretariat });
    expect(paged.body.events.map((entry: { event: { itemId: string } }) => entry.event.itemId).sort()).toEqual(['2019-40', '2019-41', '2019-42']);

    const quiet = await openFeedStream(secondApi.url, secretariat, { lastEventId: paged.body.next });
    expect(await quiet.comment(2000)).toBe(': keep-alive');
    quiet.close();
  });

  it('GET /v1/decisions?state=open lists the open decisions and no others', async () => {
    const escalation: string = (await accepted('hk', '/v1/decisions', { itemId: '2019-43', kind: 'escalate', rationale: 'pending' })).data.decisionId;
    const open = async (query = '') => (await call(`${system.url('joint-api')}/v1/decisions?state=open${query}`, { token: secretariat })).body.decisions as { decisionId: string; state: string; itemId: string }[];
    await eventually(async () => (await open()).map((decision) => decision.decisionId)).toContain(escalation);
    const all = (await call(`${system.url('joint-api')}/v1/decisions`, { token: secretariat })).body.decisions as { decisionId: string; state: string }[];
    // The unfiltered list holds effective decisions too (earlier tests), so the filter has something to leave out.
    expect(all.map((decision) => decision.state)).toEqual(expect.arrayContaining(['open', 'effective']));
    expect((await open()).map((decision) => decision.decisionId).sort()).toEqual(all.filter((decision) => decision.state === 'open').map((decision) => decision.decisionId).sort());
    expect(await open('&itemId=2019-43')).toMatchObject([{ decisionId: escalation, state: 'open', kind: 'escalate', proposedBy: 'hk' }]);
    expect(await open('&itemId=2019-10')).toEqual([]);
  });

  it('publishes each item\'s joint view to the compacted joint-changes topic', async () => {
    await eventually(async () => {
      const latest = new Map((await readWholeTopic(infra, topics.jointChanges)).map((record) => [record.key, JSON.parse(record.value ?? '{}')]));
      return latest.get('2019-10')?.status;
    }).toBe('closed');
    const latest = new Map((await readWholeTopic(infra, topics.jointChanges)).map((record) => [record.key, JSON.parse(record.value ?? '{}')]));
    expect(latest.get('2019-21')?.integrity).toContain('bad_signature');
    expect(latest.get('2019-30')).toMatchObject({ status: 'blocked', itemId: '2019-30' });
  });

  it('the digest equals an independent replay of both side topics at the same offsets', async () => {
    const digest = await call(`${system.url('joint-api')}/v1/digest`, { token: await system.token('joint', 'auditor') });
    expect(digest.status).toBe(200);
    expect(Object.keys(digest.body.offsets).sort()).toEqual([0, 1, 2].flatMap((p) => [`${topics.side.gd}/${p}`, `${topics.side.hk}/${p}`]).sort());

    // The contract's rules (the verified log) over the raw topics, folded here: no Redis, no projection.
    const shape = { topics: topics.side, ring: readKeyRingFile(join(system.keysDir, 'keyset.json')), isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf: itemPartitioner(3) };
    const reader = new LogReader(shape);
    const states = new Map<string, { gd: SideItemState; hk: SideItemState }>();
    for (const side of ['gd', 'hk'] as const) {
      for (const record of await readWholeTopic(infra, topics.side[side])) {
        if (BigInt(record.offset) >= BigInt(digest.body.offsets[`${topics.side[side]}/${record.partition}`])) continue;
        reader.read({ ...record, topic: topics.side[side] }, {
          accept: (event) => {
            const state = states.get(event.itemId) ?? { gd: initialSideState('gd', event.itemId), hk: initialSideState('hk', event.itemId) };
            state[side] = evolveSide(state[side], event);
            states.set(event.itemId, state);
            return undefined;
          },
        });
      }
    }
    const items: JointItem[] = [...states.values()].map((state) => joint(state.gd, state.hk));
    expect(digest.body.items).toBe(items.length);
    expect(digest.body.digest).toBe(sha256Hex(canonicalJson(jointView(items))));
  });
});
