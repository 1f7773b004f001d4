import type { Producer, Transaction, Message } from 'kafkajs';

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

export interface BatchObserver {
  (info: { size: number; seconds: number; ok: boolean }): void;
}

interface Pending {
  readonly record: OutgoingRecord;
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** When set, each batch is one Kafka transaction: a second writer with the same id fences this one. */
  readonly transactional: boolean;
  readonly maxBatch?: number;
  readonly onBatch?: BatchObserver;
}

/**
 * Group commit over kafkajs, which batches nothing by itself: records offered while a batch is in
 * flight wait and leave together as the next produce request, every batch with acks=all. One batch
 * is in flight at a time, so records keep the order they were offered in (per key and overall).
 * A caller's promise settles only when its batch is acknowledged (or has failed as a whole).
 */
export class GroupCommitProducer {
  private queue: Pending[] = [];
  private flushing = false;
  private readonly maxBatch: number;
  private readonly producer: Producer;
  private readonly options: GroupCommitOptions;

  constructor(producer: Producer, options: GroupCommitOptions) {
    this.producer = producer;
    this.options = options;
    this.maxBatch = options.maxBatch ?? 2000;
  }

  send(record: OutgoingRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      // Nobody awaits the flush: it settles every queued caller itself, the producer's errors included.
      if (!this.flushing) void this.flush();
    });
  }

  sendAll(records: readonly OutgoingRecord[]): Promise<void> {
    return Promise.all(records.map((record) => this.send(record))).then(() => undefined);
  }

  get pending(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        const started = performance.now();
        try {
          await this.produce(batch.map((pending) => pending.record));
          this.options.onBatch?.({ size: batch.length, seconds: (performance.now() - started) / 1000, ok: true });
          for (const pending of batch) pending.resolve();
        } catch (error) {
          this.options.onBatch?.({ size: batch.length, seconds: (performance.now() - started) / 1000, ok: false });
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async produce(records: OutgoingRecord[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push({ key: record.key, value: record.value });
      byTopic.set(record.topic, messages);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    if (!this.options.transactional) {
      await this.producer.sendBatch({ topicMessages, acks: -1 });
      return;
    }
    const transaction: Transaction = await this.producer.transaction();
    try {
      await transaction.sendBatch({ topicMessages, acks: -1 });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => {});
      throw error;
    }
  }
}
