import { generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sealEvent, verifyEventSignature } from '@gdhk/integrity';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerSealer } from '../src/signer.ts';

describe('WorkerSealer', () => {
  const key = generateSigningKey('gd-unit', 'gd');
  const sealer = new WorkerSealer(key);
  afterAll(() => sealer.close());

  const unsealed = (n: number) => ({
    eventId: `0193a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
    type: 'item.status-reported',
    schemaVersion: 1,
    side: 'gd',
    itemId: '2019-01',
    streamVersion: n,
    occurredAt: '2025-01-01T00:00:00Z',
    actor: { userId: 'u', department: 'Planning', role: 'coordinator' },
    commandId: `c-${n}`,
    correlationId: `r-${n}`,
    causationId: `c-${n}`,
    data: { status: 'in_progress', progress: n % 100, summary: '進度 ✓' },
  });

  it('seals byte for byte as @gdhk/integrity does (Ed25519 is deterministic)', async () => {
    const sealed = await sealer.seal(unsealed(1), GENESIS_HASH);
    expect(sealed).toEqual(sealEvent(unsealed(1), GENESIS_HASH, key));
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(sealEvent(unsealed(1), GENESIS_HASH, key)));
  });

  it('signs many events offered together, each verifiable', async () => {
    const ring = new KeyRing({ keys: [publicKeyEntry(key)] });
    const sealed = await Promise.all(Array.from({ length: 200 }, (_, i) => sealer.seal(unsealed(i + 1), GENESIS_HASH)));
    expect(sealed.every((event) => verifyEventSignature(event, ring).ok)).toBe(true);
  });

  it('refuses an event of the other side', async () => {
    await expect(sealer.seal({ ...unsealed(1), side: 'hk' }, GENESIS_HASH)).rejects.toThrow(TypeError);
  });
});
