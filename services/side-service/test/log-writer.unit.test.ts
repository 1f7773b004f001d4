import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isFencedError, NotWritten, SideLogWriter, WriterSession, WriterUnavailable, type LogTransaction, type TransactionalProducer } from '../src/log-writer.ts';

const logger = pino({ level: 'silent' });
const record = (value: string) => ({ topic: 'gd', key: '2019-01', value });

/** A stand-in for one kafkajs transactional producer: records what reaches "Kafka". */
class FakeProducer implements TransactionalProducer {
  readonly committed: string[][] = [];
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
    return {
      sendBatch: async (batch) => {
        values = batch.topicMessages.flatMap((topic) => topic.messages.map((message) => message.value));
        this.journal.push(`send ${values.join(',')}`);
        await this.behaviour.send?.(values);
      },
      commit: async () => {
        await this.behaviour.commit?.();
        this.committed.push(values);
      },
      abort: async () => {
        this.journal.push(values.length === 0 ? 'fence' : 'abort');
      },
    };
  }
}

function writer(producers: FakeProducer[], journal: string[], options: { acquireBackoffMs?: number } = {}) {
  let next = 0;
  return new SideLogWriter({
    newProducer: () => {
      const producer = producers[next++];
      if (!producer) throw new Error('no more producers');
      return producer;
    },
    resync: async () => void journal.push('resync'),
    logger,
    acquireBackoffMs: options.acquireBackoffMs ?? 0,
  });
}

describe('SideLogWriter', () => {
  it('fences older writers before the model reads the log, then commits', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal);
    const subject = writer([producer], journal);
    const session = await subject.session();
    await session.publish([record('a')]);
    expect(journal).toEqual(['connect', 'fence', 'resync', 'send a']);
    expect(producer.committed).toEqual([['a']]);
    expect(subject.status).toBe('ready');
  });

  it('group commit caps a transaction by bytes as well as by count', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const producer = new FakeProducer(journal, { send: async (values) => (values.includes('first') ? gate : undefined) });
    const subject = new SideLogWriter({ newProducer: () => producer, resync: async () => {}, logger, acquireBackoffMs: 0, maxBatchBytes: 100 });
    const session = await subject.session();
    const first = session.publish([record('first')]);
    await Promise.resolve();
    const big = (name: string) => ({ topic: 'gd', key: '2019-01', value: `${name}${'x'.repeat(40)}` });
    const rest = [session.publish([big('a')]), session.publish([big('b')]), session.publish([big('c')])];
    release();
    await Promise.all([first, ...rest]);
    // Each record is 47 bytes with its key: two fit under 100 bytes, the third waits for the next transaction.
    expect(producer.committed.map((batch) => batch.length)).toEqual([1, 2, 1]);
  });

  it('group commit: writes offered while a batch is in flight leave together, in order', async () => {
    const journal: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const producer = new FakeProducer(journal, { send: async (values) => (values.includes('1') ? gate : undefined) });
    const session = await writer([producer], journal).session();
    const first = session.publish([record('1')]);
    await Promise.resolve();
    const rest = [session.publish([record('2')]), session.publish([record('3'), record('4')]), session.publish([record('5')])];
    release();
    await Promise.all([first, ...rest]);
    expect(producer.committed).toEqual([['1'], ['2', '3', '4', '5']]);
  });

  it('a write offered by a continuation of the batch before it is not stranded', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal);
    const session = await writer([producer], journal).session();
    await session.publish([record('1')]).then(() => session.publish([record('2')]));
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
    const failing = session.publish([record('x')]);
    const queued = session.publish([record('y')]);
    release();
    await expect(failing).rejects.toThrow('broker went away');
    // Failed before its commit was requested, or queued behind it: certainly not written.
    expect(await failing.catch((error: unknown) => error)).toMatchObject({ name: 'NotWritten', stage: 'uncommitted' });
    expect(await queued.catch((error: unknown) => error)).toMatchObject({ name: 'NotWritten', stage: 'queued' });
    await expect(queued).rejects.toThrow('broker went away');
    expect(journal.filter((entry) => entry.startsWith('send'))).toEqual(['send x']);
    expect(subject.status).toBe('recovering');
    expect(subject.health()).toMatch(/^recovering: .*broker went away/);
    expect(await session.publish([record('z')]).catch((error: unknown) => error)).toBeInstanceOf(NotWritten);

    journal.length = 0;
    const next = await subject.session();
    expect(next).not.toBe(session);
    await next.publish([record('y')]);
    expect(journal).toEqual(['connect', 'fence', 'resync', 'send y']);
    expect(healthy.committed).toEqual([['y']]);
  });

  it('a failed commit is not "not written": it may have reached the coordinator', async () => {
    const journal: string[] = [];
    const producer = new FakeProducer(journal, {
      commit: async () => {
        throw new Error('Request EndTxn(key: 26) timed out');
      },
    });
    const subject = writer([producer, new FakeProducer(journal)], journal);
    const failure = await (await subject.session()).publish([record('a')]).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(NotWritten);
    expect(failure).toMatchObject({ message: 'Request EndTxn(key: 26) timed out' });
  });

  it('a broken writer takes a new session by itself, without waiting for a write', async () => {
    const journal: string[] = [];
    const broken = new FakeProducer(journal, {
      send: async () => {
        throw new Error('broker went away');
      },
    });
    const subject = writer([broken, new FakeProducer(journal)], journal);
    await expect((await subject.session()).publish([record('x')])).rejects.toThrow('broker went away');
    expect(subject.health()).not.toBe(true);
    await expect.poll(() => subject.status, { timeout: 2000 }).toBe('ready');
    expect(subject.health()).toBe(true);
    expect(journal.filter((entry) => entry === 'connect')).toHaveLength(2);
  });

  it('settling a failed transaction acquires a new session, whose epoch bump ends the old one', async () => {
    const journal: string[] = [];
    const broken = new FakeProducer(journal, {
      send: async () => {
        throw new Error('request timed out');
      },
    });
    const subject = writer([broken, new FakeProducer(journal)], journal, { acquireBackoffMs: 10_000 });
    await expect((await subject.session()).publish([record('x')])).rejects.toThrow('request timed out');
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
    const producer = new FakeProducer(journal, {
      send: async () => {
        throw fencedError;
      },
    });
    const subject = writer([producer, new FakeProducer(journal)], journal);
    const session = await subject.session();
    const failure = await session.publish([record('a')]).catch((error: unknown) => error);
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
    const down = new FakeProducer(journal, {
      connect: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
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
  const failing = (journal: string[]) =>
    new FakeProducer(journal, {
      send: async () => {
        throw new Error('retries exhausted: CONCURRENT_TRANSACTIONS');
      },
    });

  it('steps down instead of fencing another instance that has written since', async () => {
    const journal: string[] = [];
    const subject = new SideLogWriter({ newProducer: () => failing(journal), resync: async () => {}, logger, acquireBackoffMs: 0, takenOver: async () => true });
    await expect((await subject.session()).publish([record('a')])).rejects.toThrow('CONCURRENT_TRANSACTIONS');
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
      acquireBackoffMs: 0,
      takenOver: async () => false,
      onAcquired: () => void (acquisitions += 1),
    });
    await expect((await subject.session()).publish([record('a')])).rejects.toThrow();
    await (await subject.session()).publish([record('a')]);
    expect(acquisitions).toBe(2);
    expect(subject.status).toBe('ready');
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
    const producers = [first];
    const writer = new SideLogWriter({
      newProducer: () => producers.shift() ?? new FakeProducer(journal),
      resync: async () => {},
      logger,
      acquireBackoffMs: 0,
      transactionTimeoutMs: 40,
      takenOver: async () => (asked.push(takenOver), takenOver),
    });
    return { writer, asked };
  };

  it('within the transaction timeout it is a newer instance: the writer steps down without asking the log', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 0), false);
    await expect((await writer.session()).publish([record('a')])).rejects.toBeInstanceOf(NotWritten);
    expect(writer.status).toBe('fenced');
    expect(await writer.session().catch((error: unknown) => (error as WriterUnavailable).fenced)).toBe(true);
    expect(asked).toEqual([]);
  });

  it('past the transaction timeout the coordinator may have aborted it: with no other writer in the log, the side is taken back', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 60), false);
    await expect((await writer.session()).publish([record('a')])).rejects.toBeInstanceOf(NotWritten);
    expect(writer.status).not.toBe('fenced');
    await (await writer.session()).publish([record('b')]);
    expect(asked).toEqual([false]);
    expect(writer.status).toBe('ready');
  });

  it('past the transaction timeout, with another writer in the log, the writer steps down', async () => {
    const journal: string[] = [];
    const { writer, asked } = subject(journal, fencedAfter(journal, 60), true);
    await expect((await writer.session()).publish([record('a')])).rejects.toBeInstanceOf(NotWritten);
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

describe('isFencedError', () => {
  it('finds the epoch error anywhere in kafkajs error chains', () => {
    expect(isFencedError(Object.assign(new Error('x'), { type: 'INVALID_PRODUCER_EPOCH' }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('x'), { originalError: Object.assign(new Error('y'), { code: 90 }) }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('Unknown error code 90'), { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99 }))).toBe(true);
    expect(isFencedError(Object.assign(new Error('Unknown error code 91'), { type: 'KAFKAJS_UNKNOWN_ERROR_CODE', code: -99 }))).toBe(false);
    expect(isFencedError(new Error('ECONNREFUSED'))).toBe(false);
    expect(isFencedError(undefined)).toBe(false);
  });
});
