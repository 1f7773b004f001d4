// bench/fuzz: generated hostile records through the verified log (packages/verified-log), the
// one pipeline every consumer uses. Counts records per second, CPU per record, the verdicts by
// kind and reason, and the exceptions that escaped it (the target: 0).
//
//   node bench/fuzz/run.ts [--records 1000000] [--seed 1]
//
// Records are mutations of real sealed events (every field, at any depth: other types, huge or
// deeply nested values, unicode, numbers), arbitrary bytes, and valid events replayed into other
// streams, items, sides, partitions and times. Ends with one JSON line {"bench","machine","results"}.
import { parseArgs } from 'node:util';
import { catalogue2019 } from '@gdhk/catalogue';
import { generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sealEvent, type SigningKey } from '@gdhk/integrity';
import { LogReader, type SideRecord } from '@gdhk/verified-log';
import { machineInfo, machineNote } from '../lib.ts';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } } });
const total = Number(values.records);
let state = Number(values.seed) >>> 0 || 1;
/** xorshift32: the same seed, the same records. */
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const keys: Record<'gd' | 'hk', SigningKey> = { gd: generateSigningKey('gd-fuzz', 'gd'), hk: generateSigningKey('hk-fuzz', 'hk') };
const ring = new KeyRing({ keys: [publicKeyEntry(keys.gd), publicKeyEntry(keys.hk)] });
const topics = { gd: 'fuzz.gd.events', hk: 'fuzz.hk.events' };
const partitionOf = (itemId: string) => Number(itemId.slice(5)) % 6;
const shape = { topics, ring, isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf };
const now = Date.now();

// A pool of genuine chained events to mutate and replay: 20 streams of 10 events.
const genuine: Record<string, unknown>[] = [];
for (let stream = 0; stream < 20; stream += 1) {
  const side = stream % 2 === 0 ? 'gd' : 'hk';
  const itemId = `2019-${String((stream % 74) + 1).padStart(2, '0')}`;
  let prevHash = GENESIS_HASH;
  for (let version = 1; version <= 10; version += 1) {
    const id = `01900000-0000-7000-8000-${String(stream * 100 + version).padStart(12, '0')}`;
    const event = sealEvent({ eventId: id, type: 'item.status-reported', schemaVersion: 1, side, itemId, streamVersion: version, occurredAt: new Date(now + version * 1000).toISOString(), actor: { userId: `${side}-1`, department: 'Planning', role: 'coordinator' }, commandId: id, correlationId: id, causationId: id, data: { status: 'in_progress', progress: version, summary: `report ${version}` } }, prevHash, keys[side]);
    prevHash = event.hash;
    genuine.push(event);
  }
}
const FIELDS = ['eventId', 'type', 'schemaVersion', 'side', 'itemId', 'streamVersion', 'occurredAt', 'actor', 'commandId', 'correlationId', 'causationId', 'data', 'prevHash', 'hash', 'signature'];
const values_ = (): unknown => {
  switch (Math.floor(random() * 10)) {
    case 0: return null;
    case 1: return random() * 1e12 - 5e11;
    case 2: return Math.floor(random() * 2 ** 53);
    case 3: return '語'.repeat(Math.floor(random() * 10_000));
    case 4: return JSON.parse(nested(1 + Math.floor(random() * 100))) as unknown;
    case 5: return { nested: { deeper: [1, 2, { x: '\u0000\uFFFF' }] } };
    case 6: return Array.from({ length: Math.floor(random() * 500) }, () => random());
    case 7: return '';
    case 8: return true;
    default: return String.fromCharCode(...Array.from({ length: 20 }, () => Math.floor(random() * 0xffff)));
  }
};
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function hostile(offset: number): SideRecord {
  const base = pick(genuine);
  const side = base.side as 'gd' | 'hk';
  const itemId = String(base.itemId);
  const record = { topic: topics[side], partition: partitionOf(itemId), offset: String(offset), key: itemId as string | null, timestamp: String(Date.parse(String(base.occurredAt))) };
  const kind = random();
  if (kind < 0.15) {
    const bytes = Buffer.alloc(Math.floor(random() * 300));
    for (let index = 0; index < bytes.length; index += 1) bytes[index] = Math.floor(random() * 256);
    return { ...record, value: bytes };
  }
  if (kind < 0.25) return { ...record, value: `{"itemId":"${itemId}","data":${nested(1 + Math.floor(random() * 20_000))}}` };
  if (kind < 0.45) {
    // Replayed as it is, somewhere else or later.
    const where = Math.floor(random() * 5);
    return {
      ...record,
      value: JSON.stringify(base),
      ...(where === 0 ? { topic: topics[side === 'gd' ? 'hk' : 'gd'] } : where === 1 ? { partition: (record.partition + 1) % 6 } : where === 2 ? { key: pick(['2019-01', '2019-99', 'x', '']) } : where === 3 ? { timestamp: String(Date.parse(String(base.occurredAt)) + Math.floor(random() * 3_600_000)) } : {}),
    };
  }
  const mutated = structuredClone(base);
  const field = pick(FIELDS);
  const target = random() < 0.3 && typeof mutated[field] === 'object' && mutated[field] !== null ? (mutated[field] as Record<string, unknown>) : mutated;
  const name = target === mutated ? field : pick(Object.keys(target).concat(['extra']));
  if (random() < 0.1) delete target[name];
  else target[name] = values_();
  return { ...record, value: JSON.stringify(mutated) };
}

const reader = new LogReader(shape);
const kinds: Record<string, number> = {};
const reasons: Record<string, number> = {};
let escaped = 0;
const firstEscapes: string[] = [];
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let offset = 0; offset < total; offset += 1) {
  const record = hostile(offset);
  try {
    for (const verdict of reader.read(record)) {
      kinds[verdict.kind] = (kinds[verdict.kind] ?? 0) + 1;
      if (verdict.kind === 'quarantined') reasons[verdict.reason] = (reasons[verdict.reason] ?? 0) + 1;
      if (verdict.kind === 'halted') reasons[verdict.halt.reason] = (reasons[verdict.halt.reason] ?? 0) + 1;
    }
  } catch (error) {
    escaped += 1;
    if (firstEscapes.length < 5) firstEscapes.push(String((error as Error).stack ?? error));
  }
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const results = {
  records: total,
  recordsPerSecond: Math.round(total / seconds),
  cpuMicrosPerRecord: Number(((cpu.user + cpu.system) / total).toFixed(2)),
  escapedExceptions: escaped,
  verdicts: kinds,
  reasons,
  seconds: Number(seconds.toFixed(1)),
};
console.error(`fuzz: ${total} records in ${results.seconds} s, ${results.recordsPerSecond}/s, ${escaped} escaped; ${machineNote()}`);
for (const escape of firstEscapes) console.error(escape);
console.log(JSON.stringify({ bench: 'fuzz', machine: machineInfo(), results }));
process.exitCode = escaped === 0 ? 0 : 1;
