// `node --expose-gc services/side-service/scripts/idempotency-memory.ts [commands…]`
// What remembering commands for Idempotency-Key replays costs the write model's heap: folds N
// own commands (status reports over the plan's 74 items, from 200 users, UUID keys, as the log
// delivers them, with their positions) and prints the heap they hold, per command, after a full
// GC. The first figure leaves out the recent responses (IDEMPOTENCY_RECENT_RESPONSES=0); the
// second is what those cost on top, per response kept. Results: docs/decisions.md.
import { randomUUID } from 'node:crypto';
import { catalogue2019 } from '@gdhk/catalogue';
import type { ItemEvent } from '@gdhk/domain';
import { WriteModel } from '../src/write-model.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const counts = process.argv.slice(2).map(Number);
const items = catalogue2019.items().map((item) => item.id);
const users = Array.from({ length: 200 }, (_, index) => `gd-user-${String(index).padStart(3, '0')}`);
const HASH = 'a'.repeat(64);
const start = Date.UTC(2026, 0, 1);

/** The heap (bytes) that `count` commands folded into a fresh model hold, after a full GC. */
function heldBy(count: number, recentResponses: number, idempotencyWindowMs?: number): { perCommand: number; remembered: number; jsonBytes: number; mib: number } {
  gc?.();
  const before = process.memoryUsage().heapUsed;
  // One command a millisecond; the clock follows them, so older ones age out of a short window.
  let now = start;
  const model = new WriteModel({ side: 'gd', recentResponses, clock: () => now, ...(idempotencyWindowMs === undefined ? {} : { idempotencyWindowMs }) });
  const versions = new Map<string, number>();
  let jsonBytes = 0;
  for (let index = 0; index < count; index += 1) {
    const itemId = items[index % items.length] ?? '2019-01';
    const streamVersion = (versions.get(itemId) ?? 0) + 1;
    versions.set(itemId, streamVersion);
    const commandId = randomUUID();
    const event: ItemEvent = {
      eventId: randomUUID(),
      type: 'item.status-reported',
      schemaVersion: 2,
      side: 'gd',
      itemId,
      streamVersion,
      occurredAt: new Date(start + index).toISOString(),
      actor: { userId: users[index % users.length] ?? 'gd-user', department: 'Planning', role: 'coordinator' },
      commandId,
      correlationId: randomUUID(),
      causationId: commandId,
      data: { status: 'in_progress', progress: index % 101, summary: `report ${index}` },
      prevHash: HASH,
      hash: HASH,
      commit: { prev: HASH },
    };
    const json = JSON.stringify(event);
    now = start + index;
    jsonBytes += json.length;
    model.apply(event, json, { partition: index % 6, offset: String(index) });
  }
  gc?.();
  const held = process.memoryUsage().heapUsed - before;
  const remembered = model.commandCount;
  return { perCommand: held / remembered, remembered, jsonBytes: jsonBytes / count, mib: held / 2 ** 20 };
}

const RECENT = 10_000;
// The recent responses' cost: the same RECENT commands with and without their responses kept.
const recentCost = (heldBy(RECENT, RECENT).perCommand - heldBy(RECENT, 0).perCommand) * RECENT;
for (const count of counts.length > 0 ? counts : [100_000, 1_000_000]) {
  const { perCommand, remembered, jsonBytes } = heldBy(count, 0);
  console.log(
    `${count} commands (${remembered} remembered): ${perCommand.toFixed(0)} B per command, ${((perCommand * remembered) / 2 ** 20).toFixed(1)} MiB in all; ` +
      `${RECENT} recent responses on top: ${(recentCost / RECENT).toFixed(0)} B each (event JSON ${jsonBytes.toFixed(0)} characters), ${(recentCost / 2 ** 20).toFixed(1)} MiB`,
  );
}
// Old commands aging out: ten times the window's worth folded, the heap holds about the window's.
const aged = heldBy(1_000_000, 0, 100_000);
console.log(`1000000 commands through a window of 100000: ${aged.remembered} remembered, ${aged.mib.toFixed(1)} MiB held`);
