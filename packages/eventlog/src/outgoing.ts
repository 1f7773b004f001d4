/** A record a writer sends to a side topic. */
export interface OutgoingRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

/** Told of every batch a writer sent: how many records, how long Kafka took to acknowledge it, whether it landed. */
export interface BatchObserver {
  (info: { size: number; seconds: number; ok: boolean }): void;
}
