import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevKeySet, GENESIS_HASH, readKeyRingFile, readSigningKeyFile, sealEvent, type DevKeySet } from '@gdhk/integrity';
import { checkRecords } from '../src/record-check.ts';
import { VerifyPool } from '../src/verify-pool.ts';

// The pool's worker threads load verify-worker.ts with Node's own type stripping (vitest
// transforms only this thread's modules): a worker that needed a loader would fail here.
describe('VerifyPool', () => {
  let keysDir: string;
  let keys: DevKeySet;
  beforeAll(async () => {
    keysDir = mkdtempSync(join(tmpdir(), 'gdhk-verify-pool-'));
    keys = await ensureDevKeySet(keysDir);
  });
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  it('checks a batch on its worker threads exactly as the inline checks do', async () => {
    const key = readSigningKeyFile(keys.signingKeyFiles.gd, 'gd');
    const ring = readKeyRingFile(keys.keySetFile);
    const values = Array.from({ length: 40 }, (_, index) =>
      JSON.stringify(
        sealEvent(
          {
            eventId: `0193f5a0-7c00-7000-8000-${String(index).padStart(12, '0')}`,
            type: 'item.status-reported',
            schemaVersion: 1,
            side: 'gd',
            itemId: '2019-03',
            streamVersion: index + 1,
            occurredAt: new Date().toISOString(),
            actor: { userId: 'u-1', department: 'Commerce Department', role: 'staff' },
            commandId: `cmd-${index}`,
            correlationId: `corr-${index}`,
            causationId: null,
            data: { status: 'in_progress', progress: index, summary: `step ${index}` },
          },
          GENESIS_HASH,
          key,
        ),
      ),
    );
    values.push('not json', JSON.stringify({ ...JSON.parse(values[0] ?? '{}'), hash: 'f'.repeat(64) }));

    const pool = new VerifyPool(ring, keys.keySetFile, 2);
    try {
      expect(pool.size).toBe(2);
      const results = await pool.check(values);
      expect(results).toEqual(checkRecords(values, ring));
      expect(results.filter((result) => result.signature === 'ok')).toHaveLength(40);
      expect(results.slice(40).map((result) => result.signature)).toEqual(['skip', 'bad']);
    } finally {
      await pool.close();
    }
  });
});
