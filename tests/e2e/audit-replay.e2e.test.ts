import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { compareInstants, foldSide, joint, jointView, parseEvent, type ItemEvent, type JointItem, type Side } from '@gdhk/domain';
import { canonicalJson, GENESIS_HASH, readSigningKeyFile, sealEvent, sha256Hex, type SigningKey } from '@gdhk/integrity';
import { waitFor } from '@gdhk/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, readCommitted, runAudit, startSystem, testInfra, writeTopic, type LoggedRecord, type TestSystem, type TopicRecord } from '@gdhk/tests/support';

const PARTITIONS = 3;

/** The joint view the domain folds from the events the side services answered with. */
function expectedView(events: readonly ItemEvent[], until?: string): { items: JointItem[]; digest: string } {
  const streams = new Map<string, ItemEvent[]>();
  const stopped = new Set<string>();
  for (const event of events) {
    const stream = `${event.side}/${event.itemId}`;
    if (stopped.has(stream) || (until !== undefined && compareInstants(event.occurredAt, until) > 0)) {
      stopped.add(stream);
      continue;
    }
    streams.set(stream, [...(streams.get(stream) ?? []), event]);
  }
  const itemIds = [...new Set([...streams.keys()].map((stream) => stream.slice(3)))];
  const view = jointView(itemIds.map((itemId) => joint(foldSide('gd', itemId, streams.get(`gd/${itemId}`) ?? []), foldSide('hk', itemId, streams.get(`hk/${itemId}`) ?? []))));
  return { items: view.items, digest: sha256Hex(canonicalJson(view)) };
}

/**
 * The events of a side topic as version 1 events, each signed with the side's key and chained
 * again per stream, seals left out: the log as a writer before sealed commits would have written
 * it (the tamper cases below are about version 1 events; hashes are not part of the view).
 */
function asVersion1(records: readonly LoggedRecord[], key: SigningKey): TopicRecord[] {
  const heads = new Map<string, string>();
  const inLogOrder = [...records].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
  return inLogOrder.flatMap((record): TopicRecord[] => {
    const value = record.value as Record<string, unknown> & { kind?: string; itemId: string };
    if (value.kind !== undefined) return [];
    const { hash: _hash, commit: _commit, prevHash: _prev, ...content } = value;
    const sealed = sealEvent({ ...content, schemaVersion: 1 }, heads.get(value.itemId) ?? GENESIS_HASH, key);
    heads.set(value.itemId, sealed.hash);
    return [{ partition: record.partition, offset: String(record.offset), key: record.key, value: JSON.stringify(sealed), timestamp: record.timestamp }];
  });
}

// The auditor's view of a log the real side services wrote over HTTP: every decision and the
// joint view rebuilt from the topics alone, as of any moment, and every kind of tampering caught.
describe('audit replay of the side services\' log', () => {
  const infra = testInfra('audit');
  let system: TestSystem;
  const written: ItemEvent[] = [];
  const decisions: Record<'escalated' | 'rejected' | 'withdrawn' | 'closed' | 'reopen', string> = { escalated: '', rejected: '', withdrawn: '', closed: '', reopen: '' };
  let until = '';

  const post = async (side: Side, path: string, token: string, body?: unknown): Promise<ItemEvent> => {
    const url = `${system.url(side === 'gd' ? 'gd-service' : 'hk-service')}${path}`;
    // No retry: an answer is sent the moment its proposal was acknowledged (the answering side catches up first).
    const response = await call(url, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() }, ...(body === undefined ? {} : { body }) });
    expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(201);
    const event = parseEvent(response.body);
    written.push(event);
    return event;
  };
  const decisionIdOf = (event: ItemEvent): string => (event.type === 'decision.proposed' ? event.data.decisionId : '');
  const audit = (args: string[] = [], prefix = infra.prefix) => runAudit({ brokers: infra.brokers, prefix, keysDir: system.keysDir, args });

  beforeAll(async () => {
    await infra.createTopics(PARTITIONS);
    system = await startSystem(infra, ['gd-service', 'hk-service']);
    const gd = await system.token('gd', 'coordinator', 'Commerce and Economic Development', 'gd-coordinator-1');
    const hk = await system.token('hk', 'coordinator', 'Constitutional and Mainland Affairs', 'hk-coordinator-1');
    const gdStaff = await system.token('gd', 'staff', 'Trade', 'gd-staff-1');

    await post('gd', '/v1/items/2019-01/assignments', gd, { department: 'Trade' });
    await post('gd', '/v1/items/2019-01/status', gdStaff, { status: 'in_progress', progress: 30, summary: 'Liaison group formed' });
    await post('hk', '/v1/items/2019-01/status', hk, { status: 'blocked', progress: 10, summary: 'Awaiting funding', blockers: 'LegCo approval' });
    decisions.escalated = decisionIdOf(await post('gd', '/v1/decisions', gd, { itemId: '2019-01', kind: 'escalate', rationale: 'Funding blocks both sides' }));
    await post('hk', `/v1/decisions/${decisions.escalated}/approve`, hk, { comment: 'agreed' });
    decisions.rejected = decisionIdOf(await post('hk', '/v1/decisions', hk, { itemId: '2019-02', kind: 'extend_deadline', rationale: 'Consultation overran', targetDate: '2027-06-30' }));
    await post('gd', `/v1/decisions/${decisions.rejected}/reject`, gd, { comment: 'too late' });
    decisions.withdrawn = decisionIdOf(await post('gd', '/v1/decisions', gd, { itemId: '2019-03', kind: 'escalate', rationale: 'Raised by mistake' }));
    await post('gd', `/v1/decisions/${decisions.withdrawn}/withdraw`, gd);
    await post('gd', '/v1/items/2019-04/status', gd, { status: 'completed', progress: 100, summary: 'Done on the GD side' });
    await post('hk', '/v1/items/2019-04/status', hk, { status: 'completed', progress: 100, summary: 'Done on the HK side' });
    decisions.closed = decisionIdOf(await post('gd', '/v1/decisions', gd, { itemId: '2019-04', kind: 'close_item', rationale: 'Both sides completed' }));
    await post('hk', `/v1/decisions/${decisions.closed}/approve`, hk);

    // --until falls strictly between the last event before it and the first one after it.
    const lastBefore = Date.parse(written.at(-1)?.occurredAt ?? '');
    until = new Date(lastBefore + 1).toISOString();
    await waitFor('the clock to pass --until', async () => Date.now() > lastBefore + 1, 1000, 1);

    decisions.reopen = decisionIdOf(await post('hk', '/v1/decisions', hk, { itemId: '2019-04', kind: 'reopen_item', rationale: 'A defect was found' }));
    await post('gd', '/v1/items/2019-01/status', gdStaff, { status: 'in_progress', progress: 60, summary: 'Funding found' });
    const unassigned = await call(`${system.url('gd-service')}/v1/items/2019-01/assignments/Trade`, { method: 'DELETE', token: gd, headers: { 'idempotency-key': randomUUID() } });
    expect(unassigned.status).toBe(201);
    written.push(parseEvent(unassigned.body));
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  it('reproduces every decision and the joint view, and verifies every event', async () => {
    const run = await audit();
    expect(run.status, run.stderr).toBe(0);
    const { verification, decisions: listed, view, digest, offsets } = run.report;
    expect(Object.keys(run.report).sort()).toEqual(['decisions', 'digest', 'log', 'offsets', 'verification', 'view']);
    // The writers seal every transaction: one seal per partition it wrote, each verified.
    const logged = await readCommitted(infra.brokers, [`${infra.prefix}.gd.events`, `${infra.prefix}.hk.events`]);
    const seals = logged.filter((record) => (record.value as { kind?: string }).kind === 'gdhk.seal').length;
    expect(seals).toBeGreaterThanOrEqual(written.length);
    expect(logged).toHaveLength(written.length + seals);
    expect(verification).toEqual({ events: written.length, verified: written.length, duplicates: 0, seals: { read: seals, verified: seals }, checkpoints: { read: 0, verified: 0, heads: { checked: 0, missing: 0, differing: 0 }, latestCosigned: { gd: [], hk: [] } }, failures: [], repairs: [], checkpoint: null });
    expect(Object.keys(run.report.log).sort()).toEqual([`${infra.prefix}.gd.events`, `${infra.prefix}.hk.events`]);
    expect(Object.keys(offsets).sort()).toEqual([0, 1, 2].flatMap((p) => [`${infra.prefix}.gd.events/${p}`]).concat([0, 1, 2].map((p) => `${infra.prefix}.hk.events/${p}`)));

    const expected = expectedView(written);
    expect(view.items).toEqual(expected.items);
    expect(digest).toBe(expected.digest);

    const byId = new Map<string, { state: string; rule: { code: string }; proposal: { actor: { userId: string } }; answers: { side: string; actor: { userId: string }; comment: string | null; applied: boolean }[]; withdrawals: { actor: { userId: string }; applied: boolean }[] }>(
      listed.map((decision: { decisionId: string }) => [decision.decisionId, decision]),
    );
    expect(byId.size).toBe(5);
    expect(byId.get(decisions.escalated)).toMatchObject({ state: 'effective', rule: { code: 'approved_by_other_side' }, proposal: { actor: { userId: 'gd-coordinator-1' } }, answers: [{ side: 'hk', actor: { userId: 'hk-coordinator-1' }, comment: 'agreed', applied: true }] });
    expect(byId.get(decisions.rejected)).toMatchObject({ state: 'rejected', rule: { code: 'rejected_by_other_side' }, answers: [{ side: 'gd', comment: 'too late', applied: true }] });
    expect(byId.get(decisions.withdrawn)).toMatchObject({ state: 'withdrawn', rule: { code: 'withdrawn_by_proposer' }, withdrawals: [{ actor: { userId: 'gd-coordinator-1' }, applied: true }] });
    expect(byId.get(decisions.closed)).toMatchObject({ state: 'effective', rule: { code: 'approved_by_other_side' } });
    expect(byId.get(decisions.reopen)).toMatchObject({ state: 'open', rule: { code: 'awaiting_other_side' } });
    expect(view.items.find((item: JointItem) => item.itemId === '2019-04')?.status).toBe('closed');
  });

  it('--until returns the view as it was at that time', async () => {
    const run = await audit(['--until', until]);
    expect(run.status, run.stderr).toBe(0);
    const expected = expectedView(written, until);
    expect(run.report.view.items).toEqual(expected.items);
    expect(run.report.digest).toBe(expected.digest);
    expect(run.report.decisions.map((decision: { decisionId: string }) => decision.decisionId)).not.toContain(decisions.reopen);
    const first = run.report.view.items.find((item: JointItem) => item.itemId === '2019-01');
    expect(first.sides.gd).toMatchObject({ progress: 30, departments: ['Trade'] });
    // Verification still covers the whole log.
    expect(run.report.verification.verified).toBe(written.length);
    expect(run.report.digest).not.toBe(expectedView(written).digest);
  });

  it('--item narrows decisions and view; --format md and csv are for people and spreadsheets', async () => {
    const run = await audit(['--item', '2019-01']);
    expect(run.report.view.items.map((item: JointItem) => item.itemId)).toEqual(['2019-01']);
    expect(run.report.decisions.map((decision: { decisionId: string }) => decision.decisionId)).toEqual([decisions.escalated]);
    const md = await audit(['--format', 'md']);
    expect(md.stdout).toContain('**VERIFIED**');
    expect(md.stdout).toContain(`### 2019-01 · escalate · effective`);
    const csv = await audit(['--format', 'csv']);
    expect(csv.stdout.split('\r\n').filter((line) => line.startsWith('decision,'))).toHaveLength(5);
  });

  describe('tamper evidence', () => {
    let gdLog: TopicRecord[] = [];
    let hkLog: TopicRecord[] = [];
    let target: { partition: number; indices: number[] };
    let copies = 0;

    /** Writes a copy of both side topics under a fresh prefix, the GD log replaced by `gd`. */
    const copy = async (gd: readonly TopicRecord[]): Promise<string> => {
      copies += 1;
      const prefix = `${infra.prefix}-copy${copies}`;
      await writeTopic(infra.brokers, `${prefix}.gd.events`, PARTITIONS, gd);
      await writeTopic(infra.brokers, `${prefix}.hk.events`, PARTITIONS, hkLog);
      return prefix;
    };
    /** The offset a record gets in a copy: its place among the records of its partition. */
    const offsetIn = (records: readonly TopicRecord[], record: TopicRecord | undefined): string => String(records.filter((candidate) => candidate.partition === record?.partition).indexOf(record as TopicRecord));
    const firstFailure = (report: { verification: { failures: { topic: string; partition: number | null }[] } }, prefix: string) =>
      report.verification.failures.find((failure) => failure.topic === `${prefix}.gd.events` && failure.partition === target.partition);
    const streamEvent = (n: number): TopicRecord => gdLog[target.indices[n] ?? -1] as TopicRecord;

    beforeAll(async () => {
      // Each write was its own transaction here; the copies are of the same log written as version 1.
      const side = async (name: Side) => asVersion1(await readCommitted(infra.brokers, [`${infra.prefix}.${name}.events`]), readSigningKeyFile(join(system.keysDir, `signing-${name}.json`), name));
      gdLog = await side('gd');
      hkLog = await side('hk');
      expect(gdLog).toHaveLength(written.filter((event) => event.side === 'gd').length);
      // gd/2019-01 has five events: the stream every case tampers with.
      const indices = gdLog.flatMap((record, index) => (record.key === '2019-01' ? [index] : []));
      target = { partition: gdLog[indices[0] ?? 0]?.partition ?? 0, indices };
      expect(indices).toHaveLength(5);
    }, 60_000);

    it('the untouched copy verifies', async () => {
      const prefix = await copy(gdLog);
      const run = await audit([], prefix);
      expect(run.status, run.stderr).toBe(0);
      expect(run.report.verification.failures).toEqual([]);
      expect(run.report.digest).toBe(expectedView(written).digest);
    });

    it('one byte changed: bad_hash at that offset', async () => {
      const tampered = gdLog.map((record) => (record === streamEvent(1) ? { ...record, value: (record.value ?? '').replace('Liaison', 'Liaisom') } : record));
      expect(tampered).not.toEqual(gdLog);
      const prefix = await copy(tampered);
      const run = await audit([], prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: offsetIn(gdLog, streamEvent(1)), stream: 'gd/2019-01', reason: 'bad_hash' });
      expect(run.stderr).toMatch(/FAILED/);
    });

    it('an event deleted: version_gap where the next one now stands', async () => {
      const tampered = gdLog.filter((record) => record !== streamEvent(1));
      const prefix = await copy(tampered);
      const run = await audit([], prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: offsetIn(tampered, streamEvent(2)), stream: 'gd/2019-01', reason: 'version_gap' });
    });

    it('two events swapped: version_gap at the first of them', async () => {
      const tampered = gdLog.map((record) => (record === streamEvent(1) ? streamEvent(2) : record === streamEvent(2) ? streamEvent(1) : record));
      const prefix = await copy(tampered);
      const run = await audit([], prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: offsetIn(gdLog, streamEvent(1)), stream: 'gd/2019-01', reason: 'version_gap' });
    });

    it('an event inserted with a valid-looking hash but no valid signature: bad_signature', async () => {
      const original = JSON.parse(streamEvent(1).value ?? '{}') as Record<string, unknown>;
      const { hash: _hash, signature, ...content }: Record<string, unknown> = { ...original, eventId: '01900000-0000-7000-8000-00000000f0f0', data: { status: 'completed', progress: 100, summary: 'Forged completion' } };
      const forged = { ...content, hash: sha256Hex(canonicalJson(content)), signature };
      const insert: TopicRecord = { ...streamEvent(1), value: JSON.stringify(forged) };
      const tampered = gdLog.flatMap((record) => (record === streamEvent(1) ? [insert, record] : [record]));
      const prefix = await copy(tampered);
      const run = await audit([], prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: offsetIn(tampered, insert), stream: 'gd/2019-01', reason: 'bad_signature' });
    });

    it('an event signed with the other side\'s key: foreign_key', async () => {
      const hkKey = readSigningKeyFile(join(system.keysDir, 'signing-hk.json'), 'hk');
      const original = JSON.parse(streamEvent(1).value ?? '{}') as Record<string, unknown> & { prevHash: string };
      // sealEvent refuses a key of the other side; an attacker holding HK's key is not so polite.
      const resealed = sealEvent(original, original.prevHash, { ...hkKey, side: 'gd' });
      const tampered = gdLog.map((record) => (record === streamEvent(1) ? { ...record, value: JSON.stringify(resealed) } : record));
      const prefix = await copy(tampered);
      const run = await audit([], prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: offsetIn(gdLog, streamEvent(1)), stream: 'gd/2019-01', reason: 'foreign_key' });
      expect(firstFailure(run.report, prefix)).toMatchObject({ detail: expect.stringMatching(/belongs to side hk/) });
    });

    /** The control replay's offsets, renamed to another copy's topics: the checkpoint an auditor kept. */
    const checkpointFor = async (prefix: string): Promise<string[]> => {
      const controlPrefix = await copy(gdLog);
      const control = await audit([], controlPrefix);
      const offsets = Object.fromEntries(Object.entries(control.report.offsets as Record<string, number>).map(([key, offset]) => [key.replace(controlPrefix, prefix), offset]));
      return ['--expect-offsets', JSON.stringify(offsets), '--expect-digest', control.report.digest];
    };

    it('the tail truncated: invisible to the chain, caught against the auditor\'s checkpoint', async () => {
      const tail = target.indices.slice(-2).map((index) => gdLog[index]);
      const tampered = gdLog.filter((record) => !tail.includes(record));
      const prefix = await copy(tampered);
      // A hash chain cannot tell a stream that ends early from one that ends there.
      const unaware = await audit([], prefix);
      expect(unaware.status).toBe(0);
      const run = await audit(await checkpointFor(prefix), prefix);
      expect(run.status).toBe(1);
      expect(firstFailure(run.report, prefix)).toMatchObject({ offset: String(tampered.filter((record) => record.partition === target.partition).length), reason: 'truncated' });
    });

    it('a tail rewritten with the side\'s own key: every seal holds, the checkpoint digest does not', async () => {
      const gdKey = readSigningKeyFile(join(system.keysDir, 'signing-gd.json'), 'gd');
      const tail = target.indices.slice(-2).map((index) => gdLog[index] as TopicRecord);
      let prevHash = (JSON.parse(streamEvent(2).value ?? '{}') as { hash: string }).hash;
      const rewritten = tail.map((record): TopicRecord => {
        const original = JSON.parse(record.value ?? '{}') as Record<string, unknown>;
        const sealed = sealEvent({ ...original, type: 'item.status-reported', data: { status: 'completed', progress: 100, summary: 'Rewritten history' } }, prevHash, gdKey);
        prevHash = sealed.hash;
        return { ...record, value: JSON.stringify(sealed) };
      });
      const prefix = await copy([...gdLog.filter((record) => !tail.includes(record)), ...rewritten]);
      const unaware = await audit([], prefix);
      expect(unaware.status, unaware.stderr).toBe(0);
      const run = await audit(await checkpointFor(prefix), prefix);
      expect(run.status).toBe(1);
      expect(run.report.verification.failures).toEqual([expect.objectContaining({ reason: 'checkpoint_mismatch', partition: null, offset: null })]);
    });
  });
});
