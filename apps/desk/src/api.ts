import { createJointClient, openFeedStream, type FeedStream, type JointClient, type ServerSentEvent, type StreamState } from '@gdhk/client';
import type { Locale } from './i18n.ts';

/** What a page needs to call joint-api: the typed client, the token and the chosen language. */
export interface Api {
  readonly client: JointClient;
  readonly token: string;
  readonly locale: Locale;
}

export function createApi(token: string, locale: Locale): Api {
  return { client: createJointClient({ baseUrl: '', token: () => token, language: () => locale }), token, locale };
}

/** A failed read: 401/403 end the session; 503 (rebuilding) is retried. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The data of a typed-client answer, or an ApiError carrying its status and problem detail. */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (data !== undefined && response.ok) return data;
  const detail = typeof error === 'object' && error !== null && 'detail' in error ? String(error.detail) : response.statusText;
  throw new ApiError(response.status, detail);
}

/** Every page of a paged read: `read` gets each page's `after` (none for the first). */
async function everyPage<T>(read: (after: string | undefined) => Promise<{ rows: T[]; next: string | null }>): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read(after);
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
}

/** Every page of an item's history. */
export function wholeHistory(api: Api, itemId: string) {
  return everyPage(async (after) => {
    const page = await dataOf(api.client.GET('/v1/items/{itemId}/history', { params: { path: { itemId }, query: { limit: 500, ...(after ? { after } : {}) } } }));
    return { rows: page.events, next: page.next };
  });
}

/** Every page of the decisions matching `query`. */
export function allDecisions(api: Api, query: { state?: 'open' | 'effective' | 'rejected' | 'withdrawn'; itemId?: string }) {
  return everyPage(async (after) => {
    const page = await dataOf(api.client.GET('/v1/decisions', { params: { query: { ...query, limit: 1000, ...(after ? { after } : {}) } } }));
    return { rows: page.decisions, next: page.next };
  });
}

/** Downloads an export with the token in the header (a plain link could not carry it). */
export async function download(api: Api, what: 'items' | 'decisions', format: 'csv' | 'xlsx'): Promise<void> {
  const path = what === 'items' ? '/v1/exports/items' : '/v1/exports/decisions';
  const { data, response } = await api.client.GET(path, { params: { query: { format } }, parseAs: 'blob' });
  if (!data || !response.ok) throw new ApiError(response.status, response.statusText);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${what}.${format}`;
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function liveFeed(token: string, onChange: (event: ServerSentEvent) => void, onState: (state: StreamState) => void): FeedStream {
  return openFeedStream({ baseUrl: '', token, onEvent: onChange, onState });
}
