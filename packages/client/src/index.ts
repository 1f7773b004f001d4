import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/joint-api.ts';
import type { paths as sidePaths } from './generated/side-service.ts';

export type { components, operations, paths } from './generated/joint-api.ts';
export type { components as SideComponents, paths as SidePaths } from './generated/side-service.ts';
export { openFeedStream, parseEventStream, type FeedStream, type FeedStreamOptions, type ServerSentEvent, type StreamState } from './sse.ts';

export type JointItem = components['schemas']['JointItem'];
export type Summary = components['schemas']['Summary'];
export type Decision = components['schemas']['Decision'];
export type Digest = components['schemas']['Digest'];
export type FeedEvent = components['schemas']['FeedEvent'];
export type HistoryPage = components['schemas']['HistoryPage'];
export type Problem = components['schemas']['Problem'];
export type JointClient = Client<paths>;
export type SideClient = Client<sidePaths>;

export interface ClientOptions {
  /** the service's origin, or '' for the page's own */
  readonly baseUrl: string;
  /** the bearer token, read for every request (it may change) */
  readonly token: () => string | undefined;
  /** the Accept-Language every request sends */
  readonly language?: () => string | undefined;
  readonly fetch?: typeof fetch;
}

/** A typed client of joint-api (openapi-fetch over the types generated from its document). */
export function createJointClient(options: ClientOptions): JointClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(bearer(options));
  return client;
}

/** A typed client of gd-service or hk-service (one document shape, two processes). */
export function createSideClient(options: ClientOptions): SideClient {
  const client = createClient<sidePaths>({ baseUrl: options.baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(bearer(options));
  return client;
}

/** Sends the token and the language with every request. */
function bearer(options: ClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const token = options.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      const language = options.language?.();
      if (language) request.headers.set('accept-language', language);
      return request;
    },
  };
}
