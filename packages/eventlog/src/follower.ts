import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';

export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
}

/** The one mapping from a fetched kafkajs message to a record of this package. */
export function recordsOf(topic: string, partition: number, messages: readonly KafkaMessage[]): LogRecord[] {
  return messages.map((message) => ({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, timestamp: message.timestamp }));
}

export interface FollowerOptions {
  readonly kafka: Kafka;
  readonly topics: readonly string[];
  readonly logger: Logger;
  /** Called for every record, in log order per partition; the next batch waits for it. */
  readonly onRecords: (records: readonly LogRecord[]) => void | Promise<void>;
  readonly groupPrefix: string;
}

/**
 * Reads topics from the beginning and keeps following them. `caughtUp` resolves once every
 * partition has been read up to the high watermark it had when the follower started, which is
 * what "ready" means for a process that folds the log into memory.
 *
 * kafkajs consumers always join a group; this one uses a fresh, never-committed group per
 * instance, so it always starts from offset 0 and shares partitions with no one.
 */
export class LogFollower {
  private consumer: Consumer | undefined;
  private readonly positions = new Map<string, bigint>();
  /** The next offset to hand to `onRecords`, per topic/partition. */
  private readonly delivered = new Map<string, { topic: string; partition: number; next: bigint }>();
  private targets = new Map<string, bigint>();
  private resolveCaughtUp!: () => void;
  readonly caughtUp: Promise<void> = new Promise((resolve) => (this.resolveCaughtUp = resolve));
  private isCaughtUp = false;
  private crashed: Error | undefined;
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly admins = new Map<boolean, Promise<Admin>>();

  private readonly options: FollowerOptions;

  constructor(options: FollowerOptions) {
    this.options = options;
  }

  get ready(): boolean {
    return this.isCaughtUp && !this.crashed;
  }

  get failure(): Error | undefined {
    return this.crashed;
  }

  /** How many records the follower is behind the high watermarks it last saw. */
  lag(): bigint {
    let lag = 0n;
    for (const [key, target] of this.targets) lag += target - (this.positions.get(key) ?? 0n) > 0n ? target - (this.positions.get(key) ?? 0n) : 0n;
    return lag;
  }

  /**
   * Per partition, the offset a read_committed reader can reach now (the last stable offset),
   * or with `inFlight` the high watermark, which also covers transactions not yet marked.
   */
  private async highWatermarks(topics: readonly string[] = this.options.topics, inFlight = false): Promise<Map<string, bigint>> {
    const pending = this.admin(inFlight);
    const admin = await pending;
    try {
      const marks = new Map<string, bigint>();
      for (const topic of topics) {
        for (const partition of await admin.fetchTopicOffsets(topic)) marks.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
      return marks;
    } catch (error) {
      // The next question goes through a new client (and a new first broker).
      if (this.admins.get(inFlight) === pending) this.admins.delete(inFlight);
      void admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * One admin client per isolation level for the follower's life: a new client per question
   * would open its first connection each time, and while a broker hangs that first connection
   * can be to it.
   */
  private admin(inFlight: boolean): Promise<Admin> {
    let admin = this.admins.get(inFlight);
    if (!admin) {
      const created = this.options.kafka.admin({ readUncommitted: inFlight });
      admin = created.connect().then(
        () => created,
        (error: unknown) => {
          if (this.admins.get(inFlight) === admin) this.admins.delete(inFlight);
          throw error;
        },
      );
      this.admins.set(inFlight, admin);
    }
    return admin;
  }

  /**
   * Resolves once everything in the log right now (of `topics`, default all) has been handed to
   * `onRecords`. By default "the log right now" is what is committed and marked: a transaction
   * whose EndTxn has returned can still lack its markers for a few milliseconds, and is then not
   * yet readable. With `inFlight`, the follower waits for those too — and for any transaction
   * still open, so the wait can last until that transaction ends or `timeoutMs` runs out.
   */
  async catchUpNow(timeoutMs = 10_000, topics?: readonly string[], { inFlight = false } = {}): Promise<void> {
    const marks = await this.highWatermarks(topics, inFlight);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.crashed) throw this.crashed;
      if ([...marks].every(([key, high]) => (this.positions.get(key) ?? 0n) >= high)) return;
      if (Date.now() > deadline) throw new Error(`log follower did not reach the high watermarks within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async start(): Promise<void> {
    this.targets = await this.highWatermarks();
    this.checkCaughtUp();
    await this.run();
  }

  /**
   * A consumer that kafkajs gave up on (retries exhausted, e.g. a group coordinator still loading
   * on a broker that just started) is replaced by a new one after a back-off (1 s, doubling to
   * 30 s); until one runs, `failure` says why, so the process is not ready and says so.
   */
  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer) return;
    const delay = Math.min(30_000, 1000 * 2 ** this.restarts);
    this.restarts += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    if (this.stopping) return;
    try {
      await this.run();
      this.crashed = undefined;
      this.options.logger.info({ restarts: this.restarts }, 'log follower running again');
    } catch (error) {
      this.crashed = error instanceof Error ? error : new Error(String(error));
      this.options.logger.error({ err: error }, 'log follower could not start again; retrying');
      this.scheduleRestart();
    }
  }

  private async run(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: `${this.options.groupPrefix}.follower.${randomUUID()}`,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    // kafkajs restarts the consumer itself after retriable errors; only a final crash is a failure.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        this.options.logger.warn({ err: payload.error }, 'log follower restarting after an error');
        return;
      }
      if (this.consumer !== consumer) return;
      this.crashed = payload.error;
      this.options.logger.error({ err: payload.error }, 'log follower stopped; a new consumer takes over after a back-off');
      this.scheduleRestart();
    });
    // kafkajs restarts a crashed consumer as a new group member, which (nothing being committed)
    // starts again from offset 0: seek back to where this follower was, and deliver nothing twice.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const { topic, partition, next } of this.delivered.values()) consumer.seek({ topic, partition, offset: next.toString() });
    });
    // Positions come from the batch-end events, which also fire for batches holding only
    // transaction markers: a transactional writer's log ends in a marker no message reports.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}/${payload.partition}`;
      this.restarts = 0;
      this.positions.set(key, BigInt(payload.lastOffset) + 1n);
      const high = BigInt(payload.highWatermark);
      if (this.isCaughtUp) this.targets.set(key, high);
      this.checkCaughtUp();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const next = this.delivered.get(key)?.next ?? 0n;
        const records = recordsOf(batch.topic, batch.partition, batch.messages.filter((message) => BigInt(message.offset) >= next));
        if (records.length > 0) await this.options.onRecords(records);
        const last = batch.messages.at(-1);
        if (last && BigInt(last.offset) >= next) this.delivered.set(key, { topic: batch.topic, partition: batch.partition, next: BigInt(last.offset) + 1n });
        if (last) resolveOffset(last.offset);
        await heartbeat();
      },
    });
  }

  private checkCaughtUp(): void {
    if (this.isCaughtUp) return;
    for (const [key, target] of this.targets) {
      if ((this.positions.get(key) ?? 0n) < target) return;
    }
    this.isCaughtUp = true;
    this.resolveCaughtUp();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const admins = [...this.admins.values()];
    this.admins.clear();
    await Promise.all(admins.map(async (admin) => (await admin.catch(() => undefined))?.disconnect()));
    await this.consumer?.disconnect();
  }
}
