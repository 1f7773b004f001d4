import { buildCommitSeal, checkSealedBatch, COMMIT_SEAL_KIND, generateSigningKey, GENESIS_HASH, hashCommittedEvent, type CommitSeal } from '@gdhk/integrity';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isFencedError, NotWritten, SEAL_RECORD_KEY, SideLogWriter, WriterSession, WriterUnavailable, type CommitSealing, type LogTransaction, type SideLogWriterOptions, type TransactionalProducer } from '../src/log-writer.ts';

const logger = pino({ level: 'silent' });
const signingKey = generateSigningKey('gd-unit', 'gd');

/** Events of one stream, each labelled: the fake producer journals the labels. */
const draft = (...labels: string[]) => ({ topic: 'gd', key: '2019-01', prevHash: GENESIS_HASH, events: labels.map((label) => ({ label })) });

/** Items 2019-02 and 2019-04 on partition 1, all others on partition 0; seal heads as the test sets them. */
function sealing(heads = new Map<number, { sequence: number; hash: string }>()): CommitSealing & { heads: typeof heads; asked: number[] } {
  const asked: number[] = [];
  return {
    side: 'gd',
    partitionOf: (itemId) => (itemId === '2019-02' || itemId === '2019-04' ? 1 : 0),
    sealHead: (_topic, partition) => (asked.push(partition), heads.get(partition)),
    sealCommit: async (input) => buildCommitSeal(input, signingKey),
    now: () => new Date().toISOString(),
    heads,
    asked,
  };
}

type Sent = { key: string; value: string; partition: number };

/** A stand-in for one kafkajs transactional producer: records what reaches "Kafka". */
class FakeProducer implements TransactionalProducer {
  /** the labels of each committed transaction's events */
  readonly committed: string[][] = [];
  /** each committed transaction's records, seals included, as sent */
  readonly records: Sent[][] = [];
  private readonly journal: string[];
  private readonly behaviour: { send?: (values: string[]) => Promise<void>; commit?: () => Promise<void>; connect?: () => Promise<void> };
  constructor(journal: string[], behaviour: FakeProducer['behaviour'] = {}) {
    this.journal = journal;
    this.behaviour = behaviour;
  }
  async connect() {
    this.journal.push('connect');
    await this.behaviour.connect?.();
  }
  async disconnect() {
    this.journal.push('disconnect');
  }
  async transaction(): Promise<LogTransaction> {
    let values: string[] = [];
    let sent: Sent[] = [];
    return {
      sendBatch: async (batch) => {
        sent = batch.topicMessages.flatMap((topic) => topic.messages);
        values = sent.map((message) => JSON.parse(message.value) as { label?: string; kind?: string }).filter((value) => value.kind === undefined).map((value) => value.label ?? '?');
        this.journal.push(`send ${values.join(',')}`);
        await this.behaviour.send?.(values);
      },
      commit: async () => {
        await this.behaviour.commit?.();
        this.committed.push(values);
        this.records.push(sent);
      },
      abort: async () => {
        this.journal.push(values.length === 0 ? 'fence' : 'abort');
      },
    };
  }
}

/** A producer whose every `step` fails with `error` (a message, or the error itself). */
function failingAt(journal: string[], step: 'send' | 'commit' | 'connect', error: string | Error): FakeProducer {
  const fail = async (): Promise<never> => {
    throw typeof error === 'string' ? new Error(error) : error;
  };
  return new FakeProducer(journal, { [step]: fail });
}

/** A writer whose first session's producer is `first`, and every later one's a healthy producer. */
function writerAfter(journal: string[], first: FakeProducer, options: Pick<SideLogWriterOptions, 'transactionTimeoutMs' | 'takenOver' | 'acquireTimeoutMs'>): SideLogWriter {
  const producers = [first];
  return new SideLogWriter({ newProducer: () => producers.shift() ?? new FakeProducer(journal), resync: async () => {}, logger, sealing: sealing(), acquireBackoffMs: 0, ...options });
}

function writer(producers: FakeProducer[], journal: string[], options: { acquireBackoffMs?: number; sealing?: CommitSealing } = {}) {
  let next = 0;
  return new SideLogWriter({
    newProducer: () => {
      const producer = producers[next++];
      if (!producer) throw new Error('no more producers');
      return producer;
    },
    resync: async () => void journal.push('resync'),
    logger,
    sealing: options.sealing ?? sealing(),
    acquireBackoffMs: options.acquireBackoffMs ?? 0,
  });
}

/** A session whose first batch (event '1') is in flight until `release` is called. */
async function firstBatchHeld() {
  const journal: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const producer = new FakeProducer(journal, { send: async (values) => (values.includes('1') ? gate : undefined) });
  const session = await writer([producer], journal).session();
  const first = session.publish(draft('1'));
  await Promise.resolve();
  return { producer, session, first, release };
}

describe('SideLogWriter', () => {
  it('fences older writers before the model reads the log, then commits', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal);
    const subject = writer([producer], journal);
    const session = await subject.session();
    await session.publish(draft('a'));
    expect(journal).toEqual(['connect', 'fence', 'resync', 'send a']);
    expect(producer.committed).toEqual([['a']]);
    expect(subject.status).toBe('ready');
  });

  it('group commit caps a transaction by bytes as well as by count', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const producer = new FakeProducer(journal, { send: async (values) => (values.includes('first') ? gate : undefined) });
    const subject = new SideLogWriter({ newProducer: () => producer, resync: async () => {}, logger, sealing: sealing(), acquireBackoffMs: 0, maxBatchBytes: 650 });
    const session = await subject.session();
    const first = session.publish(draft('first'));
    await Promise.resolve();
    const big = (name: string) => draft(`${name}${'x'.repeat(40)}`);
    const rest = [session.publish(big('a')), session.publish(big('b')), session.publish(big('c'))];
    release();
    await Promise.all([first, ...rest]);
    // Each event counts 300 bytes (its draft, key and room for its hashes): two fit under 650, the third waits for the next transaction.
    expect(producer.committed.map((batch) => batch.length)).toEqual([1, 2, 1]);
  });

  it('group commit: writes offered while a batch is in flight leave together, in order', async () => {
    const { producer, session, first, release } = await firstBatchHeld();
    const rest = [session.publish(draft('2')), session.publish(draft('3', '4')), session.publish(draft('5'))];
    release();
    await Promise.all([first, ...rest]);
    expect(producer.committed).toEqual([['1'], ['2', '3', '4', '5']]);
  });

  it('a write offered by a continuation of the batch before it is not stranded', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal);
    const session = await writer([producer], journal).session();
    await session.publish(draft('1')).then(() => session.publish(draft('2')));
    expect(producer.committed).toEqual([['1'], ['2']]);
  });

  it('a failed batch breaks its session: queued writes are refused unsent; the next session fences and resyncs first', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const broken = new FakeProducer(journal, {
      send: async () => {
        await gate;
        throw new Error('broker went away');
      },
    });
    const healthy = new FakeProducer(journal);
    const subject = writer([broken, healthy], journal);
    const session = await subject.session();
    const failing = session.publish(draft('x'));
    const queued = session.publish(draft('y'));
    release();
    await expect(failing).rejects.toThrow('broker went away');
    // Failed before its commit was requested, or queued behind it: certainly not written.
    expect(await failing.catch((error: unknown) => error)).toMatchObject({ name: 'NotWritten', stage: 'uncommitted' });
    expect(await queued.catch((error: unknown) => error)).toMatchObject({ name: 'NotWritten', stage: 'queued' });
    await expect(queued).rejects.toThrow('broker went away');
    expect(journal.filter((entry) => entry.startsWith('send'))).toEqual(['send x']);
    expect(subject.status).toBe('recovering');
    expect(subject.health()).toMatch(/^recovering: .*broker went away/);
    expect(await session.publish(draft('z')).catch((error: unknown) => error)).toBeInstanceOf(NotWritten);

    journal.length = 0;
    const next = await subject.session();
    expect(next).not.toBe(session);
    await next.publish(draft('y'));
    expect(journal).toEqual(['connect', 'fence', 'resync', 'send y']);
    expect(healthy.committed).toEqual([['y']]);
  });

  it('a failed commit is not "not written": it may have reached the coordinator', async () => {
    const journal: string[] = [];
    const producer = failingAt(journal, 'commit', 'Request EndTxn(key: 26) timed out');
    const subject = writer([producer, new FakeProducer(journal)], journal);
    const failure = await (await subject.session()).publish(draft('a')).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(NotWritten);
    expect(failure).toMatchObject({ message: 'Request EndTxn(key: 26) timed out' });
  });

  it('a broken writer takes a new session by itself, without waiting for a write', async () => {
    const journal: string[] = [];
    const broken = failingAt(journal, 'send', 'broker went away');
    const subject = writer([broken, new FakeProducer(journal)], journal);
    await expect((await subject.session()).publish(draft('x'))).rejects.toThrow('broker went away');
    expect(subject.health()).not.toBe(true);
    await expect.poll(() => subject.status, { timeout: 2000 }).toBe('ready');
    expect(subject.health()).toBe(true);
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(2);
  });

  it('settling a failed transaction acquires a new session, whose epoch bump ends the old one', async () => {
    const journal: string[] = [];
    const broken = failingAt(journal, 'send', 'request timed out');
    const subject = writer([broken, new FakeProducer(journal)], journal, { acquireBackoffMs: 10_000 });
    await expect((await subject.session()).publish(draft('x'))).rejects.toThrow('request timed out');
    journal.length = 0;
    await subject.settle(Date.now() + 1000);
    expect(journal).toEqual(['connect', 'fence', 'resync']);
  });

  it('fenced by a newer epoch, the writer steps down for good', async () => {
    const journal: string[] = [];
    const fencedError = Object.assign(new Error('retries exceeded'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      cause: Object.assign(new Error('old epoch'), { type: 'INVALID_PRODUCER_EPOCH', code: 47 }),
    });
    const producer = failingAt(journal, 'send', fencedError);
    const subject = writer([producer, new FakeProducer(journal)], journal);
    const session = await subject.session();
    const failure = await session.publish(draft('a')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotWritten);
    expect((failure as NotWritten).reason).toBe(fencedError);
    expect(isFencedError(failure)).toBe(true);
    expect(subject.status).toBe('fenced');
    const refusal = await subject.session().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WriterUnavailable);
    expect((refusal as WriterUnavailable).fenced).toBe(true);
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(1);
  });

  it('after a failed acquisition, writes fail fast until the back-off has passed', async () => {
    const journal: string[] = [];
    const down = failingAt(journal, 'connect', 'ECONNREFUSED');
    const subject = writer([down, new FakeProducer(journal)], journal, { acquireBackoffMs: 50 });
    await expect(subject.session()).rejects.toThrow('ECONNREFUSED');
    await expect(subject.session()).rejects.toThrow('event log is unavailable');
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(1);
    // Once the back-off has passed, the next write acquires a session on the healthy producer.
    await expect.poll(async () => subject.session().then((session) => session instanceof WriterSession).catch(() => false), { timeout: 2000, interval: 10 }).toBe(true);
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(2);
    expect(subject.status).toBe('ready');
  });
});

describe('SideLogWriter after an ambiguous failure', () => {
  const failing = (journal: string[]) => failingAt(journal, 'send', 'retries exhausted: CONCURRENT_TRANSACTIONS');

  it('steps down instead of fencing another instance that has written since', async () => {
    const journal: string[] = [];
    const subject = new SideLogWriter({ newProducer: () => failing(journal), resync: async () => {}, logger, sealing: sealing(), acquireBackoffMs: 0, takenOver: async () => true });
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow('CONCURRENT_TRANSACTIONS');
    const refusal = await subject.session().catch((error: unknown) => error);
    expect((refusal as WriterUnavailable).fenced).toBe(true);
    expect(subject.status).toBe('fenced');
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(1);
  });

  it('takes the side back when no one else has written', async () => {
    const journal: string[] = [];
    const producers = [failing(journal), new FakeProducer(journal)];
    let acquisitions = 0;
    const subject = new SideLogWriter({
      newProducer: () => producers.shift() ?? new FakeProducer(journal),
      resync: async () => {},
      logger,
      sealing: sealing(),
      acquireBackoffMs: 0,
      takenOver: async () => false,
      onAcquired: () => void (acquisitions += 1),
    });
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow();
    await (await subject.session()).publish(draft('a'));
    expect(acquisitions).toBe(2);
    expect(subject.status).toBe('ready');
  });
});

describe('SideLogWriter after an ambiguous failure, with the epoch probe', () => {
  /** A producer whose batches fail with an unknown server error, and whose epoch probe does `probe`. */
  class Probed extends FakeProducer {
    private readonly probe: () => Promise<unknown>;
    private readonly log: string[];
    constructor(journal: string[], probe: () => Promise<unknown>) {
      super(journal, {
        send: async () => {
          throw Object.assign(new Error('The server experienced an unexpected error when processing the request'), { type: 'UNKNOWN_SERVER_ERROR', code: -1 });
        },
      });
      this.log = journal;
      this.probe = probe;
    }
    probeEpoch(): Promise<unknown> {
      this.log.push('probe');
      return this.probe();
    }
  }
  const producerFenced = () => Object.assign(new Error('Unknown error code 90'), { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: 90 });
  const subjectWith = (journal: string[], first: FakeProducer, takenOver: () => Promise<boolean>, options: { acquireTimeoutMs?: number } = {}) =>
    writerAfter(journal, first, { transactionTimeoutMs: 30_000, takenOver, ...options });

  it('a newer instance that has not written yet keeps the side: the coordinator says the epoch is gone', async () => {
    const journal: string[] = [];
    let asked = false;
    const subject = subjectWith(journal, new Probed(journal, async () => Promise.reject(producerFenced())), async () => {
      asked = true;
      return false;
    });
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow('unexpected error');
    const refusal = await subject.session().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WriterUnavailable);
    expect((refusal as WriterUnavailable).fenced).toBe(true);
    expect(subject.status).toBe('fenced');
    // Never fenced the other instance by taking a new epoch, and never needed the log to tell.
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(1);
    expect(journal).toContain('probe');
    expect(asked).toBe(false);
  });

  it('the epoch still current: takes a new session at once', async () => {
    const journal: string[] = [];
    const subject = subjectWith(journal, new Probed(journal, async () => ({ producerId: '7', producerEpoch: 3 })), async () => {
      throw new Error('the log was not to be asked');
    });
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow('unexpected error');
    await (await subject.session()).publish(draft('b'));
    expect(subject.status).toBe('ready');
    expect(journal.filter((entry) => entry === 'connect' || entry === 'probe')).toEqual(['connect', 'probe', 'connect']);
  });

  it('a probe the coordinator does not answer in time leaves it to the log', async () => {
    const journal: string[] = [];
    const subject = subjectWith(journal, new Probed(journal, () => new Promise(() => {})), async () => false, { acquireTimeoutMs: 50 });
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow('unexpected error');
    await (await subject.session()).publish(draft('b'));
    expect(subject.status).toBe('ready');
  });

  it('a probe that cannot be asked leaves it to the log', async () => {
    const journal: string[] = [];
    const subject = subjectWith(journal, new Probed(journal, async () => Promise.reject(new Error('ECONNREFUSED'))), async () => true);
    await expect((await subject.session()).publish(draft('a'))).rejects.toThrow('unexpected error');
    const refusal = await subject.session().catch((error: unknown) => error);
    expect((refusal as WriterUnavailable).fenced).toBe(true);
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(1);
  });
});

describe('SideLogWriter after an epoch error', () => {
  const epochError = () => Object.assign(new Error('retries exceeded'), { cause: Object.assign(new Error('old epoch'), { type: 'INVALID_PRODUCER_EPOCH', code: 47 }) });
  /** A producer whose first transaction fails with an epoch error after `openMs`. */
  const fencedAfter = (journal: string[], openMs: number) =>
    new FakeProducer(journal, {
      send: async () => {
        await new Promise((resolve) => setTimeout(resolve, openMs));
        throw epochError();
      },
    });
  const subject = (journal: string[], first: FakeProducer, takenOver: boolean) => {
    const asked: boolean[] = [];
    const writer = writerAfter(journal, first, { transactionTimeoutMs: 40, takenOver: async () => (asked.push(takenOver), takenOver) });
    return { writer, asked };
  };

  it('within the transaction timeout it is a newer instance: the writer steps down without asking the log', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 0), false);
    await expect((await writer.session()).publish(draft('a'))).rejects.toBeInstanceOf(NotWritten);
    expect(writer.status).toBe('fenced');
    expect(await writer.session().catch((error: unknown) => (error as WriterUnavailable).fenced)).toBe(true);
    expect(asked).toEqual([]);
  });

  it('past the transaction timeout the coordinator may have aborted it: with no other writer in the log, the side is taken back', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 60), false);
    await expect((await writer.session()).publish(draft('a'))).rejects.toBeInstanceOf(NotWritten);
    expect(writer.status).not.toBe('fenced');
    await (await writer.session()).publish(draft('b'));
    expect(asked).toEqual([false]);
    expect(writer.status).toBe('ready');
  });

  it('past the transaction timeout, with another writer in the log, the writer steps down', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 60), true);
    await expect((await writer.session()).publish(draft('a'))).rejects.toBeInstanceOf(NotWritten);
    expect(await writer.session().catch((error: unknown) => (error as WriterUnavailable).fenced)).toBe(true);
    expect(writer.status).toBe('fenced');
    expect(asked).toEqual([true]);
  });
});

describe('SideLogWriter acquisition time-out', () => {
  it('no new session starts while a timed-out attempt may still bump the epoch', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const slow = new FakeProducer(journal, { connect: () => new Promise<void>((resolve) => (release = resolve)) });
    const producers = [slow, new FakeProducer(journal)];
    const subject = new SideLogWriter({
      newProducer: () => producers.shift() ?? new FakeProducer(journal),
      resync: async () => {},
      logger,
      sealing: sealing(),
      acquireTimeoutMs: 20,
      acquireBackoffMs: 0,
    });
    await expect(subject.session()).rejects.toThrow('no writer session within 20 ms');
    await expect(subject.session()).rejects.toThrow('has not settled yet');
    release();
    // The abandoned attempt ran to its end (its fence included) and was closed before the next one began.
    await expect.poll(() => [...journal], { timeout: 2000, interval: 5 }).toEqual(['connect', 'fence', 'disconnect']);
    expect(await subject.session()).toBeInstanceOf(WriterSession);
    expect(journal.slice(3)).toEqual(['connect', 'fence']);
  });
});

describe('sealed commits', () => {
  type Event = { label: string; itemId?: string; prevHash: string; commit: { prev: string }; hash: string };
  const events = (records: Sent[]) => records.filter((record) => record.key !== SEAL_RECORD_KEY).map((record) => ({ ...record, event: JSON.parse(record.value) as Event }));
  const seals = (records: Sent[]) => records.filter((record) => record.key === SEAL_RECORD_KEY).map((record) => ({ ...record, seal: JSON.parse(record.value) as CommitSeal }));
  const on = (itemId: string, ...labels: string[]) => ({ ...draft(...labels), key: itemId, topic: 'gdhk.gd.events' });

  it('a batch of events on two partitions is hashed in the commit and ends with one seal per partition, each the last record of its partition', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const producer = new FakeProducer(journal, { send: async (values) => (values.includes('gate') ? gate : undefined) });
    const session = await writer([producer], journal).session();
    const first = session.publish(on('2019-01', 'gate'));
    await Promise.resolve();
    const rest = [session.publish(on('2019-01', 'a1', 'a2')), session.publish(on('2019-02', 'b1')), session.publish(on('2019-03', 'c1')), session.publish(on('2019-04', 'd1', 'd2'))];
    release();
    await first;
    const written = await Promise.all(rest);
    const batch = producer.records[1] ?? [];
    // 6 events, 2 seals: partition 0 holds a1 a2 c1, partition 1 b1 d1 d2.
    expect(batch).toHaveLength(8);
    for (const partition of [0, 1]) {
      const here = batch.filter((record) => record.partition === partition);
      expect(here.at(-1)?.key).toBe(SEAL_RECORD_KEY);
      expect(here.slice(0, -1).every((record) => record.key !== SEAL_RECORD_KEY)).toBe(true);
    }
    const sealed = seals(batch);
    expect(sealed.map(({ seal }) => [seal.kind, seal.topic, seal.partition, seal.count])).toEqual([
      [COMMIT_SEAL_KIND, 'gdhk.gd.events', 0, 3],
      [COMMIT_SEAL_KIND, 'gdhk.gd.events', 1, 3],
    ]);
    // The first transaction sealed partition 0 once; this one chains on to that seal.
    const firstSeal = seals(producer.records[0] ?? [])[0]?.seal;
    expect(sealed[0]?.seal).toMatchObject({ sequence: 2, prevHash: firstSeal?.hash });
    expect(sealed[1]?.seal).toMatchObject({ sequence: 1, prevHash: GENESIS_HASH });
    for (const { seal, partition } of sealed) {
      const hashed = events(batch).filter((record) => record.partition === partition).map(({ event }) => event);
      expect(checkSealedBatch(seal, hashed.map((event) => event.hash))).toEqual({ ok: true });
      // commit.prev: the previous event of the transaction on the partition, the first the partition's previous seal.
      expect(hashed.map((event) => event.commit.prev)).toEqual([partition === 0 ? firstSeal?.hash : GENESIS_HASH, ...hashed.slice(0, -1).map((event) => event.hash)]);
    }
    // Each event as written: the stream chain kept (a2 on a1), version 2 hashing, the very bytes handed back.
    const [a1, a2] = (written[0] ?? []).map((value) => JSON.parse(value) as Event);
    expect(a1?.prevHash).toBe(GENESIS_HASH);
    expect(a2?.prevHash).toBe(a1?.hash);
    const { hash: _hash, ...unhashed } = a2 as Event;
    expect(hashCommittedEvent(unhashed, unhashed.prevHash, unhashed.commit.prev).hash).toBe(a2?.hash);
    expect(written.flat().every((value) => batch.some((record) => record.value === value))).toBe(true);
  });

  it('a session chains on from the seal head the model read, and a failed transaction leaves the chain for the next session to read again', async () => {
    const journal: string[] = [];
    const heads = new Map([[0, { sequence: 7, hash: 'a'.repeat(64) }]]);
    const chains = sealing(heads);
    const failing = failingAt(journal, 'send', 'broker went away');
    const healthy = new FakeProducer(journal);
    const subject = writer([failing, healthy], journal, { sealing: chains });
    await expect((await subject.session()).publish(on('2019-01', 'x'))).rejects.toBeInstanceOf(NotWritten);
    // What the next session's resync read: the failed transaction is not in the log, the head stands.
    const session = await subject.session();
    await session.publish(on('2019-01', 'y'));
    await session.publish(on('2019-01', 'z'));
    const [y, z] = healthy.records.map((records) => seals(records)[0]?.seal);
    expect(y).toMatchObject({ sequence: 8, prevHash: 'a'.repeat(64) });
    expect(z).toMatchObject({ sequence: 9, prevHash: y?.hash });
    expect(events(healthy.records[0] ?? [])[0]?.event.commit.prev).toBe('a'.repeat(64));
    // Asked once by each session, at its first transaction on the partition.
    expect(chains.asked).toEqual([0, 0]);
  });

  it('a seal that cannot be signed breaks the session before anything is sent', async () => {
    const journal: string[] = [];
    const chains = { ...sealing(), sealCommit: async () => Promise.reject(new Error('the signing worker exited with 1')) };
    const subject = writer([new FakeProducer(journal)], journal, { sealing: chains });
    const failure = await (await subject.session()).publish(draft('a')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'NotWritten', stage: 'queued' });
    expect(journal.filter((entry) => entry.startsWith('send'))).toEqual([]);
  });
});

describe('isFencedError', () => {
  it('a record written alone (a checkpoint) is its own transaction, after the batch in flight and before the next', async () => {
    const { producer, session, first, release } = await firstBatchHeld();
    const alone = session.writeAlone({ topic: 'gd', partition: 0, key: 'gdhk.checkpoint', value: JSON.stringify({ kind: 'gdhk.checkpoint' }) });
    await Promise.resolve();
    const after = session.publish(draft('2'));
    release();
    await Promise.all([first, alone, after]);
    expect(producer.records.map((records) => records.map((record) => record.key))).toEqual([['2019-01', SEAL_RECORD_KEY], ['gdhk.checkpoint'], ['2019-01', SEAL_RECORD_KEY]]);
    expect(producer.records[1]).toEqual([{ key: 'gdhk.checkpoint', value: '{"kind":"gdhk.checkpoint"}', partition: 0 }]);
  });

  it('a record written alone that fails breaks the session: what was offered meanwhile is refused unsent', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal, { commit: async () => Promise.reject(new Error('broker gone')) });
    const session = await writer([producer], journal).session();
    const alone = session.writeAlone({ topic: 'gd', partition: 0, key: 'gdhk.checkpoint', value: '{}' });
    const queued = session.publish(draft('2'));
    await expect(alone).rejects.toThrow('broker gone');
    await expect(queued).rejects.toBeInstanceOf(NotWritten);
    expect(session.broken).toBe(true);
    expect(producer.committed).toEqual([]);
  });

  it('finds the epoch error anywhere in kafkajs error chains', () => {
    expect(isFencedError(Object.assign(new Error('x'), { type: 'INVALID_PRODUCER_EPOCH' }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('x'), { originalError: Object.assign(new Error('y'), { code: 90 }) }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('Unknown error code 90'), { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99 }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('Unknown error code 91'), { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99 }))).toBe(false);
    expect(isFencedError(new Error('ECONNREFUSED'))).toBe(false);
    expect(isFencedError(undefined)).toBe(false);
  });
});
