import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '@gdhk/config';
import { waitFor } from '@gdhk/infra';
import { logPositions } from './log.ts';

// The load-and-count harness: concurrent writers on both sides record every request's outcome;
// afterwards the log (read_committed) and the joint feed are read to their ends and every outcome
// is checked against them. Every fault test uses it, so "exactly once" means the same everywhere.

export type Side = 'gd' | 'hk';

/** What one HTTP attempt got back: a status (with the event's id on a write), or no answer at all. */
export type Answer =
  | { readonly status: number; readonly eventId: string | undefined; readonly replayed: boolean; readonly code: string | undefined }
  | { readonly status: 'no-answer'; readonly error: string };

/** One logical write: a status report with its own Idempotency-Key, and every attempt made with that key. */
export interface WriteRecord {
  readonly side: Side;
  readonly userId: string;
  readonly itemId: string;
  readonly key: string;
  readonly attempts: Answer[];
}

export interface LoadOptions {
  /** The side service's base URL at the moment of the request (a restarted instance may have a new port). */
  readonly target: (side: Side) => string;
  /** A coordinator token of the side for the given writer; each writer is its own user (rate limits are per user). */
  readonly token: (side: Side, writer: number) => Promise<string>;
  readonly userId: (side: Side, writer: number) => string;
  readonly writersPerSide: number;
  readonly items: readonly string[];
  /** An attempt with no response within this long counts as "no answer" (default 30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * `none`: every attempt is final. `same-key`: an attempt that got no answer or a 503 is sent
   * again with the same key and body (as a careful client does) until it gets another answer or
   * `retryForMs` runs out.
   */
  readonly retry?: 'none' | 'same-key';
  readonly retryForMs?: number;
}

/** Final answer of a write: its last attempt. */
export function finalAnswer(record: WriteRecord): Answer | undefined {
  return record.attempts.at(-1);
}

export function isAcknowledged(answer: Answer | undefined): answer is Extract<Answer, { status: number }> & { eventId: string } {
  return answer !== undefined && (answer.status === 201 || answer.status === 200) && answer.eventId !== undefined;
}

/**
 * Concurrent writers (`writersPerSide` on each side), each posting status reports in a loop until
 * stopped. `stop()` ends the loops and resolves once every attempt in flight has an outcome.
 */
export class Load {
  readonly records: WriteRecord[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];

  private readonly options: LoadOptions;

  private constructor(options: LoadOptions) {
    this.options = options;
  }

  static start(options: LoadOptions): Load {
    const load = new Load(options);
    for (const side of ['gd', 'hk'] as const) {
      for (let writer = 0; writer < options.writersPerSide; writer += 1) load.loops.push(load.loop(side, writer));
    }
    return load;
  }

  get acknowledged(): number {
    return this.records.filter((record) => isAcknowledged(finalAnswer(record))).length;
  }

  /** Resolves once `count` more writes were acknowledged than when it was called (or fails at the deadline). */
  async acknowledgedMore(count: number, timeoutMs = 60_000): Promise<void> {
    const target = this.acknowledged + count;
    await waitFor(`${count} more acknowledged writes`, async () => this.acknowledged >= target, timeoutMs, 50);
  }

  async stop(): Promise<WriteRecord[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.records;
  }

  private async loop(side: Side, writer: number): Promise<void> {
    const token = await this.options.token(side, writer);
    const userId = this.options.userId(side, writer);
    const items = this.options.items;
    for (let n = 0; this.running; n += 1) {
      const itemId = items[(writer * 7 + n) % items.length] ?? '2019-01';
      const record: WriteRecord = { side, userId, itemId, key: randomUUID(), attempts: [] };
      this.records.push(record);
      const body = { status: 'in_progress', progress: n % 100, summary: `${side} writer ${writer} report ${n}` };
      const deadline = Date.now() + (this.options.retryForMs ?? 60_000);
      for (;;) {
        const answer = await this.attempt(side, token, record, body);
        record.attempts.push(answer);
        const retriable = answer.status === 'no-answer' || answer.status === 503;
        if (!retriable || this.options.retry !== 'same-key' || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // A writer whose requests fail fast must not spin: the service is down or refusing.
      const last = finalAnswer(record);
      if (!isAcknowledged(last)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async attempt(side: Side, token: string, record: WriteRecord, body: unknown): Promise<Answer> {
    try {
      const response = await fetch(`${this.options.target(side)}/v1/items/${record.itemId}/status`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': record.key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
      const text = await response.text();
      let parsed: { eventId?: unknown; code?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        // not JSON: the status says enough
      }
      return {
        status: response.status,
        eventId: typeof parsed.eventId === 'string' ? parsed.eventId : undefined,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        code: typeof parsed.code === 'string' ? parsed.code : undefined,
      };
    } catch (error) {
      return { status: 'no-answer', error: (error as Error).message };
    }
  }
}

/** An event as the side topics hold it, with where it sits. */
export interface LoggedEvent {
  readonly eventId: string;
  readonly side: string;
  readonly itemId: string;
  readonly streamVersion: number;
  readonly commandId: string;
  readonly userId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Every record of both side topics, read with `read_committed` from the start to the end the
 * topics have now (their high watermarks): what any reader of the log can see. Aborted records
 * never show here.
 */
export async function readSideLogs(brokers: readonly string[], prefix: string): Promise<LoggedEvent[]> {
  const kafka = new Kafka({ clientId: 'load-count-reader', brokers: [...brokers], logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 3000 } });
  const topics = topicNames(prefix).side;
  // Ends are high watermarks, not the last stable offsets kafkajs' admin lists: a transaction
  // acknowledged a moment ago may still await its markers, and reading to the high watermark waits.
  const ends = await logPositions(brokers, [topics.gd, topics.hk]);
  const events: LoggedEvent[] = [];
  if ([...ends.values()].every((end) => end === 0n)) return events;
  const consumer = kafka.consumer({ groupId: `load-count-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  const positions = new Map<string, bigint>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topics.gd, topics.hk], fromBeginning: true });
    // Positions come from batch ends, which also cover a log that ends in a transaction marker.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      positions.set(`${payload.topic}/${payload.partition}`, BigInt(payload.lastOffset) + 1n);
    });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const event = JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown> & { actor?: { userId?: unknown } };
        // Seal records (one per partition per transaction) are not events: they count no write.
        if (event !== null && 'kind' in event) return;
        events.push({
          eventId: String(event.eventId),
          side: String(event.side),
          itemId: String(event.itemId),
          streamVersion: Number(event.streamVersion),
          commandId: String(event.commandId),
          userId: String(event.actor?.userId),
          topic,
          partition,
          offset: message.offset,
        });
      },
    });
    await waitFor('the side topics to be read to their ends', async () => [...ends].every(([tp, end]) => (positions.get(tp) ?? 0n) >= end), 60_000, 50);
  } finally {
    await consumer.disconnect();
  }
  return events;
}

/** The joint feed, paged from the start to its end: every entry's cursor and event id. */
export async function readJointFeed(jointUrl: string, token: string): Promise<{ cursor: string; eventId: string }[]> {
  const entries: { cursor: string; eventId: string }[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100_000; page += 1) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after } : {}) });
    const response = await fetch(`${jointUrl}/v1/feed?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /v1/feed answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { events: { cursor: string; event: { eventId: string } }[]; next: string; more: boolean };
    for (const entry of body.events) entries.push({ cursor: entry.cursor, eventId: entry.event.eventId });
    if (!body.more && body.events.length === 0) return entries;
    after = body.next;
  }
  throw new Error('the feed did not end within 100,000 pages');
}

/** A 503 that says the service could not learn whether the write landed: like no answer, it may have. */
function outcomeUnknown(answer: Answer | undefined): boolean {
  return answer !== undefined && answer.status === 503 && answer.code === 'GDHK_WRITE_OUTCOME_UNKNOWN';
}

export interface CountOptions {
  /** A write answered 503 (or any non-2xx) wrote nothing: true where the service itself was never killed. */
  readonly refusalsWroteNothing: boolean;
}

/**
 * Every way the log and the feed can disagree with what the writers were told, as sentences
 * (empty when all holds):
 * - every acknowledged write's event is in the log exactly once, under its key and nowhere else;
 * - no key has two events (a retried key was replayed, never written again);
 * - an answered refusal wrote nothing (when `refusalsWroteNothing`); a write that got no answer,
 *   or a 503 GDHK_WRITE_OUTCOME_UNKNOWN, is in the log at most once;
 * - no event of these writers is in the log that no write asked for;
 * - every event of the log is in the joint feed exactly once, and the feed holds nothing else.
 */
export function countViolations(records: readonly WriteRecord[], log: readonly LoggedEvent[], feed: readonly { eventId: string }[] | undefined, options: CountOptions): string[] {
  const problems: string[] = [];
  const byEventId = new Map<string, LoggedEvent[]>();
  const byKey = new Map<string, LoggedEvent[]>();
  for (const event of log) {
    byEventId.set(event.eventId, [...(byEventId.get(event.eventId) ?? []), event]);
    const key = `${event.userId}\u0000${event.commandId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), event]);
  }
  const at = (events: readonly LoggedEvent[]) => events.map((event) => `${event.topic}/${event.partition}@${event.offset}`).join(', ');
  for (const [eventId, events] of byEventId) if (events.length > 1) problems.push(`event ${eventId} is in the log ${events.length} times (${at(events)})`);

  const users = new Set(records.map((record) => record.userId));
  const asked = new Set<string>();
  for (const record of records) {
    const key = `${record.userId}\u0000${record.key}`;
    asked.add(key);
    const written = byKey.get(key) ?? [];
    const answer = finalAnswer(record);
    const told = record.attempts.map((attempt) => String(attempt.status)).join(' → ');
    if (written.length > 1) problems.push(`key ${record.key} (${told}) has ${written.length} events in the log (${at(written)})`);
    if (isAcknowledged(answer)) {
      if (written.length === 0) problems.push(`key ${record.key} was acknowledged (${told}) with event ${answer.eventId}, which is not in the log`);
      else if (!written.some((event) => event.eventId === answer.eventId)) problems.push(`key ${record.key} was acknowledged with event ${answer.eventId} but the log holds ${written.map((event) => event.eventId).join(', ')}`);
    } else if (answer?.status !== 'no-answer' && !outcomeUnknown(answer) && options.refusalsWroteNothing && written.length > 0) {
      problems.push(`key ${record.key} was refused (${told}${answer && 'code' in answer && answer.code ? ` ${answer.code}` : ''}) but its event is in the log (${at(written)})`);
    }
    // Every attempt that was acknowledged names the one event of its key.
    for (const attempt of record.attempts) {
      if (isAcknowledged(attempt) && isAcknowledged(answer) && attempt.eventId !== answer.eventId) problems.push(`key ${record.key} was acknowledged with two events, ${attempt.eventId} and ${answer.eventId}`);
    }
  }
  for (const [key, events] of byKey) {
    const [userId] = key.split('\u0000');
    if (users.has(userId ?? '') && !asked.has(key)) problems.push(`the log holds an event no write asked for: ${events.map((event) => event.eventId).join(', ')} (${at(events)})`);
  }

  if (feed) {
    const inFeed = new Map<string, number>();
    for (const entry of feed) inFeed.set(entry.eventId, (inFeed.get(entry.eventId) ?? 0) + 1);
    for (const [eventId, count] of inFeed) {
      if (count > 1) problems.push(`event ${eventId} is in the joint feed ${count} times`);
      if (!byEventId.has(eventId)) problems.push(`the joint feed holds ${eventId}, which the log does not`);
    }
    for (const eventId of byEventId.keys()) if (!inFeed.has(eventId)) problems.push(`event ${eventId} is in the log but not in the joint feed`);
  }
  return problems;
}

/** Counts of outcomes by final answer, for test logs and failure messages. */
export function outcomeSummary(records: readonly WriteRecord[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const record of records) {
    const answer = finalAnswer(record);
    const label = answer === undefined ? 'none' : `${answer.status}${'code' in answer && answer.code ? ` ${answer.code}` : ''}`;
    summary[label] = (summary[label] ?? 0) + 1;
  }
  summary.retried = records.filter((record) => record.attempts.length > 1).length;
  return summary;
}
