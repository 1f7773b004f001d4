/** One Server-Sent Event: its `id:` (the feed cursor) and its `data:`. */
export interface ServerSentEvent {
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * Splits a text/event-stream body into events (WHATWG HTML §9.2.6): fields per line, a blank
 * line dispatches, `:` lines are comments (keep-alives). Yields as chunks arrive.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let id: string | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { id, data: data.join('\n') };
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(text);
        else if (field === 'id' && !text.includes('\0')) id = text;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'unauthorized';

export interface FeedStreamOptions {
  /** joint-api's origin, or '' for the page's own */
  readonly baseUrl: string;
  readonly token: string;
  /** resume after this cursor (the last event id seen) */
  readonly lastEventId?: string;
  readonly onEvent: (event: ServerSentEvent) => void;
  readonly onState?: (state: StreamState, detail?: string) => void;
  readonly fetch?: typeof fetch;
  /** first retry delay (ms); it doubles up to 10 s */
  readonly retryMs?: number;
}

export interface FeedStream {
  /** the last event id received: where a new connection resumes */
  readonly lastEventId: string | undefined;
  close(): void;
}

/**
 * The combined feed over SSE with fetch, not EventSource: EventSource cannot send the
 * Authorization header the stream requires. Reconnects with Last-Event-ID after a drop, so no
 * event is lost or repeated; stops for good on 401/403 (the token must change); starts from the
 * feed's start again when the server no longer follows its cursor (400, 410).
 */
export function openFeedStream(options: FeedStreamOptions): FeedStream {
  const fetchImpl = options.fetch ?? fetch;
  let lastEventId = options.lastEventId;
  let closed = false;
  let controller: AbortController | undefined;
  let delay = options.retryMs ?? 500;
  const setState = (state: StreamState, detail?: string) => options.onState?.(state, detail);

  const run = async () => {
    let first = true;
    while (!closed) {
      setState(first ? 'connecting' : 'reconnecting');
      first = false;
      controller = new AbortController();
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' };
        if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
        const response = await fetchImpl(`${options.baseUrl}/v1/feed/stream`, { headers, signal: controller.signal });
        if (response.status === 401 || response.status === 403) {
          setState('unauthorized', String(response.status));
          return;
        }
        // A cursor this server no longer follows (410: the feed's retention passed it; 400: another
        // secret or deployment): start again from the feed's start, as a first connection does.
        if ((response.status === 410 || response.status === 400) && lastEventId !== undefined) {
          lastEventId = undefined;
          setState('reconnecting', String(response.status));
          continue;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        setState('open');
        delay = options.retryMs ?? 500;
        for await (const event of parseEventStream(response.body)) {
          if (event.id !== undefined) lastEventId = event.id;
          options.onEvent(event);
        }
      } catch (error) {
        if (closed) break;
        setState('reconnecting', error instanceof Error ? error.message : String(error));
      }
      if (closed) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
    setState('closed');
  };
  // Runs for the stream's life, nobody awaits it: each failure becomes a reconnect, close() ends it.
  void run();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      controller?.abort();
    },
  };
}
