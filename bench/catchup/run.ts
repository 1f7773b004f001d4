// `node bench/catchup/run.ts [--events 1000000] [--own-share 1] [--keep] [--prefix <existing>]`
//
// A side service starting over a long log: loads `--events` sealed, hash-chained status reports
// into the side topics (`--own-share` of them on the service's own side, the rest on the other
// side), then starts the real gd-service process and reports the time until /health/ready and
// its peak RSS. `--keep` leaves the topics (and prints their prefix) so `--prefix` can reuse them.
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { catalogue2019 } from '@gdhk/catalogue';
import { deleteTopicsWithPrefix } from '@gdhk/infra';
import { benchKafka, benchKeys, benchTopics, machineInfo, machineNote, startSideService, statusReportFactory } from '../lib.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    'own-share': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    prefix: { type: 'string' },
    'keys-dir': { type: 'string' },
  },
});
const total = Number(values.events);
const ownShare = Number(values['own-share']);
const items = catalogue2019.items().map((item) => item.id);

const kafka = await benchKafka();
// Reusing a loaded log needs the keys that signed it.
const keys = values['keys-dir'] ? { dir: values['keys-dir'], remove: () => {} } : await benchKeys();
const topics = values.prefix ? { prefix: values.prefix, cleanup: () => deleteTopicsWithPrefix(kafka.brokers, values.prefix ?? '') } : await benchTopics(kafka.brokers, 'catchup');
console.error(`[catchup] kafka: ${kafka.source} (${kafka.brokers.join(',')}); prefix ${topics.prefix}; keys ${keys.dir}; ${machineNote()}`);

try {
  if (!values.prefix) {
    const client = new Kafka({ clientId: 'bench-catchup-loader', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const gd = statusReportFactory('gd', keys.dir, items);
    const hk = statusReportFactory('hk', keys.dir, items);
    const started = performance.now();
    let sent = 0;
    let inFlight: Promise<unknown> = Promise.resolve();
    while (sent < total) {
      const batch = { gd: [] as { key: string; value: string }[], hk: [] as { key: string; value: string }[] };
      for (let i = 0; i < 2000 && sent < total; i += 1, sent += 1) {
        const own = Math.random() < ownShare;
        const event = own ? gd() : hk();
        batch[own ? 'gd' : 'hk'].push({ key: String(event.itemId), value: JSON.stringify(event) });
      }
      // Sealing the next batch overlaps with sending this one.
      await inFlight;
      inFlight = producer.sendBatch({
        acks: -1,
        topicMessages: [
          { topic: `${topics.prefix}.gd.events`, messages: batch.gd },
          { topic: `${topics.prefix}.hk.events`, messages: batch.hk },
        ].filter((entry) => entry.messages.length > 0),
      });
      if (sent % 100_000 === 0) console.error(`[catchup] loaded ${sent} events (${Math.round(sent / ((performance.now() - started) / 1000))}/s)`);
    }
    await inFlight;
    await producer.disconnect();
    console.error(`[catchup] loaded ${total} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const service = await startSideService({ side: 'gd', brokers: kafka.brokers, prefix: topics.prefix, keysDir: keys.dir, env: { LOG_LEVEL: 'info' }, readyTimeoutMs: 600_000 });
  const peak = service.peakRssMiB();
  const caughtUp = service
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        const entry: unknown = JSON.parse(line);
        return typeof entry === 'object' && entry !== null && 'msg' in entry && String(entry.msg).startsWith('write model caught up') ? [entry as { events?: number; commands?: number; ms?: number }] : [];
      } catch {
        return [];
      }
    })[0];
  await service.stop();
  const report = {
    machine: machineNote(),
    kafka: kafka.source,
    events: total,
    ownShare,
    readySeconds: Number((service.readyMs / 1000).toFixed(1)),
    foldSeconds: caughtUp?.ms === undefined ? null : Number((caughtUp.ms / 1000).toFixed(1)),
    eventsFolded: caughtUp?.events ?? null,
    commandsRemembered: caughtUp?.commands ?? null,
    peakRssMiB: Math.round(peak),
  };
  console.log(
    [
      `catch-up over ${total} events (${Math.round(ownShare * 100)} % on the service's own side): ready after ${report.readySeconds} s (spawn to /health/ready; fold ${report.foldSeconds} s), peak RSS ${report.peakRssMiB} MiB`,
      `targets: ready <= 60 s ${report.readySeconds <= 60 ? 'met' : 'NOT met'}, peak RSS <= 1024 MiB ${report.peakRssMiB <= 1024 ? 'met' : 'NOT met'}`,
      `machine: ${report.machine}`,
    ].join('\n'),
  );
  const { machine: _note, ...results } = report;
  console.log(JSON.stringify({ bench: 'catchup', machine: machineInfo(), results }));
} finally {
  if (values.keep) console.error(`[catchup] kept topics with prefix ${topics.prefix} (keys in ${keys.dir}); rerun with --prefix ${topics.prefix} --keys-dir ${keys.dir}`);
  else {
    await topics.cleanup().catch(() => {});
    keys.remove();
  }
  await kafka.stop();
}
