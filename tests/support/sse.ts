// joint-api's GET /v1/feed/stream read as a browser's EventSource reads it: entries and comments
// as they arrive, and (optionally) a reconnection with Last-Event-ID whenever the server ends the
// stream, as it does when a rebuild replaces what the stream was reading.

export interface FeedStreamEntry {
  readonly id: string;
  readonly data: { cursor: string; event: { eventId: string; side: string; itemId: string; streamVersion: number } };
}

export interface FeedStream {
  /** every entry received, in order, over all connections */
  readonly entries: readonly FeedStreamEntry[];
  /** the status of every connection attempt, in order (200 for each one that streamed) */
  readonly attempts: readonly number[];
  /** The next `count` entries not taken yet; throws if they have not all arrived within `timeoutMs`. */
  take(count: number, timeoutMs?: number): Promise<FeedStreamEntry[]>;
  /** The first comment (`: keep-alive`) received within `timeoutMs`, if any. */
  comment(timeoutMs: number): Promise<string | undefined>;
  close(): void;
}

export interface FeedStreamOptions {
  readonly lastEventId?: string;
  /** reconnect with the last entry's id when the server ends the stream (503s retried every 100 ms) */
  readonly reconnect?: boolean;
  /** with `reconnect`: how long reconnection may keep failing before the client gives up */
  readonly reconnectDeadlineMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openFeedStream(base: string, token: string, options: FeedStreamOptions = {}): Promise<FeedStream> {
  const abort = new AbortController();
  const entries: FeedStreamEntry[] = [];
  const comments: string[] = [];
  const attempts: number[] = [];
  let lastId = options.lastEventId;
  let ended = false;
  let failure: Error | undefined;

  const connect = async (): Promise<ReadableStreamDefaultReader<Uint8Array> | undefined> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (lastId) headers['last-event-id'] = lastId;
    const response = await fetch(`${base}/v1/feed/stream`, { headers, signal: abort.signal });
    attempts.push(response.status);
    if (response.status !== 200 || !response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
      await response.body?.cancel();
      return undefined;
    }
    return response.body.getReader();
  };
  const pump = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) comments.push(block);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data) {
          entries.push({ id, data: JSON.parse(data) as FeedStreamEntry['data'] });
          lastId = id;
        }
      }
    }
  };

  const first = await connect();
  if (!first) throw new Error(`GET ${base}/v1/feed/stream answered ${attempts[0]}`);
  // The pump runs beside the test, never rejecting: its error lands in failure, which take() reports.
  void (async () => {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined = first;
    try {
      for (;;) {
        if (reader) await pump(reader);
        if (!options.reconnect || abort.signal.aborted) break;
        const deadline = Date.now() + (options.reconnectDeadlineMs ?? 60_000);
        reader = undefined;
        while (!reader && !abort.signal.aborted) {
          if (Date.now() > deadline) throw new Error(`reconnecting to ${base}/v1/feed/stream kept failing: ${attempts.slice(-5).join(', ')}`);
          reader = await connect();
          if (!reader) await pause(100);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) failure = error as Error;
    }
    ended = true;
  })();

  const until = async (condition: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition() && !ended && Date.now() < deadline) await pause(20);
  };
  let taken = 0;
  return {
    entries,
    attempts,
    take: async (count, timeoutMs = 15_000) => {
      await until(() => entries.length >= taken + count, timeoutMs);
      const slice = entries.slice(taken, taken + count);
      if (slice.length < count) throw new Error(`received ${slice.length} of ${count} entries within ${timeoutMs} ms${failure ? ` (${failure.message})` : ended ? ' (the stream ended)' : ''}`);
      taken += slice.length;
      return slice;
    },
    comment: async (timeoutMs) => {
      await until(() => comments.length > 0, timeoutMs);
      return comments[0];
    },
    close: () => abort.abort(),
  };
}
