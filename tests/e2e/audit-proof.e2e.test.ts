import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '@gdhk/config';
import { readKeyRingFile, verifyInclusionProof } from '@gdhk/integrity';
import { call, readCommitted, runAudit, useSystem } from '@gdhk/tests/support';

// Issue 12, item 3: an outsider checks one event with its proof and the key set, nothing else.
describe('inclusion proofs of a log the side services wrote', () => {
  const ctx = useSystem('proof', ['gd-service', 'hk-service'], {
    tokens: { gd: ['gd', 'coordinator'], hk: ['hk', 'coordinator'] },
  });
  const dir = mkdtempSync(join(tmpdir(), 'gdhk-proofs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const audit = (command: 'prove' | 'verify-proof', args: string[]) => runAudit({ brokers: ctx.infra.brokers, prefix: ctx.infra.prefix, keysDir: ctx.system.keysDir, command, args });

  it('proves every event of the log, and every proof fails once any byte of it changes', async () => {
    // Several transactions on several partitions, from both sides, some writes in parallel (one group commit).
    const assign = (side: 'gd' | 'hk', itemId: string, department: string) =>
      call(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/v1/items/${itemId}/assignments`, {
        method: 'POST',
        token: ctx.tokens[side],
        headers: { 'idempotency-key': randomUUID() },
        body: { department },
      });
    const answers = [
      ...(await Promise.all(['2019-01', '2019-02', '2019-03', '2019-04'].map((itemId) => assign('gd', itemId, 'Planning')))),
      await assign('gd', '2019-01', 'Lands'),
      ...(await Promise.all(['2019-05', '2019-06'].map((itemId) => assign('hk', itemId, 'Planning')))),
    ];
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);

    const topics = topicNames(ctx.infra.prefix).side;
    const events = (await readCommitted(ctx.infra.brokers, [topics.gd, topics.hk])).filter((record) => !('kind' in (record.value as object)));
    expect(events.map((record) => record.value.eventId).sort()).toEqual(answers.map((answer) => answer.body.eventId).sort());

    const keys = join(ctx.system.keysDir, 'keyset.json');
    for (const record of events) {
      const file = join(dir, `${record.value.eventId as string}.json`);
      const proved = await audit('prove', ['--event', record.value.eventId as string, '--out', file]);
      expect(proved.status, proved.stderr).toBe(0);
      const checked = await audit('verify-proof', [file, '--keys', keys]);
      expect(checked.status, checked.stderr).toBe(0);
      expect(checked.report).toMatchObject({ verified: true, eventId: record.value.eventId, seal: { topic: record.topic, partition: record.partition } });
      expect(JSON.parse(readFileSync(file, 'utf8')).event).toEqual(record.value);
    }

    // One proof, every byte changed in turn, through the verifier the command runs (the contract's checks).
    const ring = readKeyRingFile(keys);
    const verifies = (text: string) => {
      try {
        return verifyInclusionProof(JSON.parse(text), ring).ok;
      } catch {
        return false;
      }
    };
    const text = JSON.stringify(JSON.parse(readFileSync(join(dir, `${events[0]?.value.eventId as string}.json`), 'utf8')));
    expect(verifies(text)).toBe(true);
    const passing: number[] = [];
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      const altered = text.slice(0, index) + String.fromCharCode(code === 0x7e ? 0x7d : code ^ 1 || 0x21) + text.slice(index + 1);
      if (verifies(altered)) passing.push(index);
    }
    expect(passing).toEqual([]);
    // The command says so too.
    const altered = join(dir, 'altered.json');
    writeFileSync(altered, text.replace(/"leafIndex":(\d+)/, (_, index: string) => `"leafIndex":${Number(index) + 1}`));
    expect((await audit('verify-proof', [altered, '--keys', keys])).status).toBe(1);
  }, 180_000);

  it('says there is no proof for an event id the log does not hold', async () => {
    const missing = await audit('prove', ['--event', randomUUID()]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no proof: not_in_log/);
  });
});
