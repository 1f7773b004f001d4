import { catalogue2019, negotiateLocale, type Catalogue, type Locale } from '@gdhk/catalogue';
import { DECISION_STATES, hongKongDate, initialSideState, isOverdue, ItemId, joint, JOINT_STATUSES, type DecisionView, type JointItem, type JointStatus } from '@gdhk/domain';
import { addVary, Counter, Gauge, HttpProblem, problemSchema, requireRole, SUCCESS_HEADERS, type HttpApp } from '@gdhk/http';
import { jointViewDigest, type ItemIndexEntry, type ItemView } from '@gdhk/readmodel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXPORT_FORMATS, exportFormatOf, MEDIA_TYPES, toCsv, toXlsx, type ExportFormat, type ExportTable } from './exports.ts';
import type { CursorSeal } from './cursor-seal.ts';
import { checkCursor, decodeCursor, encodeCursor, readFeed, START, type FeedCursor } from './feed.ts';
import { compareHistory, decodeHistoryCursor, encodeHistoryCursor, itemHistory } from './history.ts';
import type { JointReadModel } from '@gdhk/readmodel';
import { decisionPageSchema, digestSchema, feedEventSchema, feedPageSchema, historyPageSchema, inclusionProofSchema, jointItemSchema, jointStatusSchema, summarySchema } from './schemas.ts';
import { proofAnswer, type KeySetSource } from './proof.ts';
import { streamFeed, type FeedWaiter, type StreamOptions } from './stream.ts';
import type { StreamSlots } from './stream-slots.ts';
import { Representations } from './representations.ts';
import type { Reading } from './clock.ts';
import { decisionsTable, itemsTable } from './tables.ts';

export interface JointRoutesDeps {
  readonly readModel: JointReadModel;
  readonly tail: FeedWaiter;
  readonly stream: StreamOptions;
  readonly streams: StreamSlots;
  readonly seal: CursorSeal;
  /** Most feed rows an item's history reads (GDHK_HISTORY_SCAN_ROWS). */
  readonly historyScanRows: number;
  /** The instant and the Hong Kong date of a read, from one reading of the clock. */
  readonly clock: () => Reading;
  readonly catalogue?: Catalogue;
  /** The key set whose entries inclusion proofs carry. */
  readonly keys: KeySetSource;
}

/** How long a client refused an event stream waits before trying again (s). */
const STREAM_RETRY_SECONDS = 5;
/** `/v1/decisions` pages: the default and the largest `limit`. */
export const DECISIONS_PAGE = { default: 100, max: 1000 } as const;

const readers = ['secretariat', 'auditor'] as const;
const notModified = z.null().describe('Not Modified: the ETag sent in If-None-Match is current');
const unavailable = { 401: problemSchema, 403: problemSchema, 429: problemSchema, 503: problemSchema };
const languageHeaders = z.object({ 'accept-language': z.string().optional().describe('zh-Hant, zh-Hans or en (the default is zh-Hant)') });
const conditionalHeaders = languageHeaders.extend({ 'if-none-match': z.string().optional().describe('an ETag from an earlier answer: 304 when nothing changed') });
/** Reads that answer 304 to a matching If-None-Match, and the headers of their 200. */
const conditional = { config: { etag: true } } as const;
const localisedHeaders = ['ETag', 'Content-Language', 'Vary'] as const;

/** The joint-api endpoints of the contract; every read comes from the live read model in Redis. */
export function jointRoutes(app: HttpApp, deps: JointRoutesDeps): void {
  const catalogue = deps.catalogue ?? catalogue2019;
  new Gauge({ name: 'gdhk_sse_streams', help: 'Event streams open now', registers: [app.metrics], collect() {
    this.set(deps.streams.count);
  } });
  const streamsRefused = new Counter({ name: 'gdhk_sse_refused_total', help: 'Event streams refused at their cap, by cap (user, total)', labelNames: ['cap'] as const, registers: [app.metrics] });

  // Reads served from memory answer with a body built and tagged once per memory state (a 304 then
  // costs no Redis command and no serialisation); the key holds everything else the body depends on.
  const representations = new Representations();
  const sendKept = (reply: FastifyReply, state: string, key: string, build: () => unknown): FastifyReply => {
    const { body, etag } = representations.of(state, key, () => {
      const serialized = reply.serialize(build());
      return typeof serialized === 'string' ? serialized : new TextDecoder().decode(serialized);
    });
    return reply.header('etag', etag).type('application/json; charset=utf-8').send(body);
  };

  const localeOf = (request: FastifyRequest, reply: FastifyReply): Locale => {
    const locale = negotiateLocale(request.headers['accept-language']);
    reply.header('content-language', locale);
    addVary(reply, 'Accept-Language');
    return locale;
  };

  // An item nobody has written to yet is simply not started: the view of two empty streams.
  const jointOf = (itemId: string, view: ItemView | undefined): JointItem => view?.joint ?? joint(initialSideState('gd', itemId), initialSideState('hk', itemId));

  const present = (itemId: string, view: ItemView | undefined, locale: Locale, now: string) => {
    const localized = catalogue.localized(itemId, locale);
    if (!localized) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
    const item = jointOf(itemId, view);
    return {
      itemId,
      number: localized.number,
      chapter: localized.chapter,
      section: localized.section ?? null,
      text: localized.text,
      locale,
      status: item.status,
      overdue: isOverdue(item, now),
      integrity: view?.integrity ?? 'ok',
      quarantine: view?.quarantine ?? { count: 0, last: null },
      targetDate: item.targetDate,
      targetDateSource: item.targetDateSource,
      escalated: item.escalated,
      sides: item.sides,
      openDecisions: item.decisions.filter((decision) => decision.state === 'open'),
    };
  };

  app.get('/v1/items/:itemId', {
    ...conditional,
    schema: {
      operationId: 'getItem',
      tags: ['items'],
      summary: "One item: both sides' parts, joint status, open decisions",
      params: z.object({ itemId: ItemId }),
      headers: conditionalHeaders,
      [SUCCESS_HEADERS]: localisedHeaders,
      response: { 200: jointItemSchema, 304: notModified, 400: problemSchema, 404: problemSchema, ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const { itemId } = request.params;
    if (!catalogue.has(itemId)) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
    const locale = localeOf(request, reply);
    const { iso: now, hongKongDate: today } = deps.clock();
    const memory = await deps.readModel.inMemory();
    if (memory) return sendKept(reply, memory.tag, `item ${itemId} ${locale} ${today}`, () => present(itemId, memory.views.get(itemId), locale, now));
    return present(itemId, await deps.readModel.view(itemId), locale, now);
  });

  const itemFilters = z.object({
    chapter: z.coerce.number().int().min(1).optional(),
    status: jointStatusSchema.optional(),
    overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  });
  /** The catalogue's items the filters select, judged by the index. */
  const selectItems = ({ chapter, status, overdue }: z.infer<typeof itemFilters>, index: ReadonlyMap<string, ItemIndexEntry>, now: string) =>
    catalogue.items(chapter === undefined ? undefined : { chapter }).filter((item) => {
      const entry = index.get(item.id);
      const itemStatus = entry?.status ?? 'not_started';
      const itemOverdue = entry ? overdueOf(itemStatus, entry.targetDate, now) : false;
      return (status === undefined || itemStatus === status) && (overdue === undefined || itemOverdue === overdue);
    });
  const listItems = async (filters: z.infer<typeof itemFilters>, locale: Locale) => {
    const now = deps.clock().iso;
    const index = await deps.readModel.index();
    const wanted = selectItems(filters, index, now);
    const views = await deps.readModel.views(wanted.map((item) => item.id).filter((id) => index.has(id)));
    return wanted.map((item) => present(item.id, views.get(item.id), locale, now));
  };

  app.get('/v1/items', {
    ...conditional,
    schema: {
      operationId: 'listItems',
      tags: ['items'],
      summary: 'Items with their joint status, filtered by chapter, status and overdue',
      querystring: itemFilters,
      headers: conditionalHeaders,
      [SUCCESS_HEADERS]: localisedHeaders,
      response: { 200: z.object({ items: z.array(jointItemSchema) }), 304: notModified, 400: problemSchema, ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const locale = localeOf(request, reply);
    const memory = await deps.readModel.inMemory();
    if (memory) {
      const { iso: now, hongKongDate: today } = deps.clock();
      const { chapter, status, overdue } = request.query;
      return sendKept(reply, memory.tag, `items ${locale} ${today} ${chapter} ${status} ${overdue}`, () => ({
        items: selectItems(request.query, memory.index, now).map((item) => present(item.id, memory.views.get(item.id), locale, now)),
      }));
    }
    return { items: await listItems(request.query, locale) };
  });

  app.get('/v1/items/:itemId/history', {
    schema: {
      operationId: 'getItemHistory',
      tags: ['items'],
      summary: "The item's verified events of both sides, in the contract's cross-side order (occurredAt, side, eventId)",
      params: z.object({ itemId: ItemId }),
      querystring: z.object({
        after: z.string().min(1).optional().describe('`next` of the previous page; the first page when absent'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: historyPageSchema, 400: problemSchema, 404: problemSchema, ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { itemId } = request.params;
    if (!catalogue.has(itemId)) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
    const after = request.query.after === undefined ? undefined : decodeHistoryCursor(deps.seal, request.query.after, itemId);
    const { entries: all, complete } = await itemHistory(deps.readModel, itemId, deps.historyScanRows);
    const start = after === undefined ? 0 : all.findIndex((entry) => compareHistory(entry, after) > 0);
    const page = start < 0 ? [] : all.slice(start, start + request.query.limit);
    const last = page.at(-1);
    const more = last !== undefined && all.indexOf(last) < all.length - 1;
    return { itemId, total: all.length, complete, events: page.map((entry) => feedEventSchema.parse(entry.event)), next: more && last ? encodeHistoryCursor(deps.seal, itemId, last) : null };
  });

  /** Counts per chapter and joint status over the index (items it lacks are not started). */
  const summaryOf = (index: ReadonlyMap<string, ItemIndexEntry>, locale: Locale, now: string) => {
    const tally = () => ({ total: 0, overdue: 0, flagged: 0, byStatus: Object.fromEntries(JOINT_STATUSES.map((status) => [status, 0])) as Record<JointStatus, number> });
    const total = tally();
    const chapters = catalogue.chapters().map((chapter) => ({ number: chapter.number, title: chapter.title[locale], ...tally() }));
    for (const item of catalogue.items()) {
      const entry = index.get(item.id);
      const status = entry?.status ?? 'not_started';
      const chapter = chapters.find((candidate) => candidate.number === item.chapter);
      for (const counts of chapter ? [total, chapter] : [total]) {
        counts.total += 1;
        counts.byStatus[status] += 1;
        if (entry && overdueOf(status, entry.targetDate, now)) counts.overdue += 1;
        if (entry && !entry.integrityOk) counts.flagged += 1;
      }
    }
    return { ...total, chapters, locale };
  };

  app.get('/v1/summary', {
    ...conditional,
    schema: {
      operationId: 'getSummary',
      tags: ['items'],
      summary: 'Item counts per chapter and joint status, with overdue and integrity-flagged counts',
      headers: conditionalHeaders,
      [SUCCESS_HEADERS]: localisedHeaders,
      response: { 200: summarySchema, 304: notModified, ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const locale = localeOf(request, reply);
    const { iso: now, hongKongDate: today } = deps.clock();
    const memory = await deps.readModel.inMemory();
    if (memory) return sendKept(reply, memory.tag, `summary ${locale} ${today}`, () => summaryOf(memory.index, locale, now));
    return summaryOf(await deps.readModel.index(), locale, now);
  });

  const decisionFilters = z.object({ state: z.enum(DECISION_STATES).optional(), itemId: ItemId.optional() });
  // Every decision lives in its item's view, so a listing reads the plan's views: bounded by the catalogue.
  const listDecisions = async ({ state, itemId }: z.infer<typeof decisionFilters>): Promise<DecisionView[]> => {
    const views = await deps.readModel.views(itemId === undefined ? catalogue.items().map((item) => item.id) : [itemId]);
    const decisions: DecisionView[] = [...views.values()].flatMap((view) => view.joint.decisions).filter((decision) => state === undefined || decision.state === state);
    return decisions.sort(compareDecisions);
  };
  const decisionPage = decisionFilters.extend({
    after: z.string().min(1).optional().describe('`next` of the previous page; the first page when absent'),
    limit: z.coerce.number().int().min(1).max(DECISIONS_PAGE.max).default(DECISIONS_PAGE.default),
  });

  app.get('/v1/decisions', {
    ...conditional,
    schema: {
      operationId: 'listDecisions',
      tags: ['decisions'],
      summary: 'Decisions of every item, filtered by state and item, in pages (by proposal time, item, decision id)',
      querystring: decisionPage,
      headers: z.object({ 'if-none-match': conditionalHeaders.shape['if-none-match'] }),
      [SUCCESS_HEADERS]: ['ETag'],
      response: { 200: decisionPageSchema, 304: notModified, 400: problemSchema, ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { after, limit, ...filters } = request.query;
    const position = after === undefined ? undefined : decodeDecisionCursor(deps.seal, after);
    const all = await listDecisions(filters);
    const start = position === undefined ? 0 : all.findIndex((decision) => compareDecisions(decision, position) > 0);
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const last = page.at(-1);
    const more = start >= 0 && start + limit < all.length;
    return { decisions: page, next: more && last ? encodeDecisionCursor(deps.seal, last) : null };
  });

  const exportQuery = z.object({ format: z.enum(EXPORT_FORMATS).optional().describe('csv or xlsx; without it, Accept decides (text/csv, the XLSX media type), CSV by default') });
  const exportHeaders = languageHeaders.extend({ accept: z.string().optional() });
  const exportResponse = {
    200: z.string().describe('CSV (UTF-8 with BOM, CRLF) or XLSX'),
    400: problemSchema,
    ...unavailable,
  };
  const exportSchema = <Shape extends z.ZodRawShape>(operationId: string, summary: string, filters: z.ZodObject<Shape>) => ({
    operationId,
    tags: ['exports'],
    summary,
    querystring: exportQuery.extend(filters.shape),
    headers: exportHeaders,
    produces: [MEDIA_TYPES.csv, MEDIA_TYPES.xlsx],
    [SUCCESS_HEADERS]: ['Content-Language', 'Vary', 'Content-Disposition'],
    response: exportResponse,
  });
  /** The table in the format `format` or Accept asks for, as a download named after it. */
  const sendTable = async (request: FastifyRequest, reply: FastifyReply, format: ExportFormat | undefined, name: string, table: (locale: Locale) => Promise<ExportTable>) => {
    requireRole(request, readers);
    const locale = localeOf(request, reply);
    addVary(reply, 'Accept');
    const chosen = exportFormatOf(format, request.headers.accept);
    const rows = await table(locale);
    return reply
      .type(MEDIA_TYPES[chosen])
      .header('content-disposition', `attachment; filename="${name}-${locale}.${chosen}"`)
      .send(chosen === 'csv' ? toCsv(rows) : await toXlsx(rows));
  };

  app.get('/v1/exports/items', { schema: exportSchema('exportItems', 'Every item as the overview shows it, one row each, as CSV or XLSX in the chosen language', itemFilters) }, async (request, reply) =>
    sendTable(request, reply, request.query.format, 'items', async (locale) => itemsTable(await listItems(request.query, locale), locale)),
  );
  app.get('/v1/exports/decisions', { schema: exportSchema('exportDecisions', 'Every decision, one row each, as CSV or XLSX in the chosen language', decisionFilters) }, async (request, reply) =>
    sendTable(request, reply, request.query.format, 'decisions', async (locale) => decisionsTable(await listDecisions(request.query), locale)),
  );

  app.get('/v1/digest', {
    schema: { operationId: 'getDigest', tags: ['verification'], summary: 'SHA-256 of the canonical joint view and the side-topic offsets it reflects', response: { 200: digestSchema, ...unavailable } },
  }, async (request) => {
    requireRole(request, readers);
    const { views, offsets, log } = await deps.readModel.snapshot();
    const { digest, items } = jointViewDigest(views.values());
    return {
      digest,
      offsets: Object.fromEntries(Object.entries(offsets).sort(([a], [b]) => compare(a, b)).map(([topicPartition, offset]) => [topicPartition, Number(offset)])),
      items,
      // Which log the offsets count in: an audit given this digest as its checkpoint compares it only with that log.
      ...(log ? { log } : {}),
    };
  });

  app.get('/v1/events/:eventId/proof', {
    schema: {
      operationId: 'getEventProof',
      tags: ['verification'],
      summary: "The inclusion proof of a sealed event: the event, its Merkle path, the signed seal and the seal's key-set entry",
      description: 'The same document `npm run audit -- prove --event` writes, checked offline with the key set alone (`npm run audit -- verify-proof`). 404 `GDHK_EVENT_NOT_FOUND` for an event the joint view holds under no seal (not in the log, or not sealed and read yet); 404 `GDHK_EVENT_NOT_SEALED` for an event of schema version 1 (signed on its own).',
      params: z.object({ eventId: z.uuid().describe('the event\'s `eventId`') }),
      response: { 200: inclusionProofSchema, 400: problemSchema, 404: problemSchema, ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { eventId } = request.params;
    const { stored } = await deps.readModel.proof(eventId);
    const answer = proofAnswer(eventId, stored, deps.keys);
    if (!answer.ok) throw new HttpProblem(404, answer.code, 'Not Found', answer.detail);
    // The event's members beyond the documented ones are kept (a loose schema), as the log holds them.
    return { ...answer.proof, event: feedEventSchema.parse(answer.proof.event) };
  });

  /** A signed feed cursor, checked against the served read model (400, or 410 when its entries are gone). */
  const feedCursorOf = async (text: string | undefined): Promise<FeedCursor> => {
    if (text === undefined) return START;
    const cursor = decodeCursor(deps.seal, text);
    checkCursor(cursor, await deps.readModel.feedBounds());
    return cursor;
  };

  const cursorQuery = z.object({
    after: z.string().min(1).optional().describe('a cursor from an earlier page (`next` or an entry\'s `cursor`); the start of the feed when absent'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  });

  app.get('/v1/feed', {
    schema: {
      operationId: 'readFeed',
      tags: ['feed'],
      summary: "The combined feed of verified events, in the projection's order, each side's order kept",
      description: 'One request reads at most GDHK_FEED_SCAN_ROWS rows: a page can hold fewer than `limit` entries, or none, before the end (after a rebuild, when it skips entries delivered before it); `more` says whether the end was reached; read on with `next`. A cursor behind the feed\'s retention answers 410.',
      querystring: cursorQuery,
      response: { 200: feedPageSchema, 400: problemSchema, 410: problemSchema, ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { after, limit } = request.query;
    const page = await readFeed(deps.readModel, await feedCursorOf(after), limit, deps.stream.scanRows);
    return { events: page.entries.map((entry) => ({ cursor: encodeCursor(deps.seal, entry.cursor), event: feedEventSchema.parse(JSON.parse(entry.event)) })), next: encodeCursor(deps.seal, page.next), more: !page.atEnd };
  });

  app.get('/v1/feed/stream', {
    schema: {
      operationId: 'streamFeed',
      tags: ['feed'],
      summary: 'The combined feed as Server-Sent Events (`id:` the cursor, `data:` the entry); resumes after `Last-Event-ID`',
      description: `Sends \`: keep-alive\` comments while idle. A client that does not read is disconnected and resumes with Last-Event-ID. A user holds at most GDHK_SSE_MAX_PER_USER streams at once (then 429) and the process GDHK_SSE_MAX_TOTAL (then 503), both with Retry-After. A cursor behind the feed's retention answers 410.`,
      produces: ['text/event-stream'],
      headers: z.object({ 'last-event-id': z.string().optional() }),
      querystring: z.object({ after: z.string().min(1).optional().describe('used when no Last-Event-ID header is sent') }),
      response: { 200: z.string().describe('text/event-stream: `id:` the cursor, `data:` `{ cursor, event }`'), 400: problemSchema, 410: problemSchema, ...unavailable },
    },
  }, async (request, reply) => {
    const { userId } = requireRole(request, readers);
    // Refuse with 503 up front while no generation is live, rather than opening an empty stream.
    await deps.readModel.assertLive();
    const cursor = await feedCursorOf(request.headers['last-event-id'] ?? request.query.after);
    const slot = deps.streams.acquire(userId);
    if (typeof slot === 'string') streamsRefused.inc({ cap: slot });
    if (slot === 'user') {
      throw new HttpProblem(429, 'GDHK_TOO_MANY_STREAMS', 'Too Many Requests', `this user already holds the most event streams one user may (${deps.streams.perUser}); close one or retry later`, undefined, { 'retry-after': String(STREAM_RETRY_SECONDS) });
    }
    if (slot === 'total') {
      throw new HttpProblem(503, 'GDHK_STREAMS_EXHAUSTED', 'Service Unavailable', `this server holds the most event streams it may (${deps.streams.total}); retry later`, undefined, { 'retry-after': String(STREAM_RETRY_SECONDS) });
    }
    reply.raw.once('close', slot.release);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-correlation-id': request.id,
    });
    reply.raw.flushHeaders();
    try {
      await streamFeed(reply.raw, cursor, { readModel: deps.readModel, tail: deps.tail, seal: deps.seal, options: deps.stream, logger: request.log });
    } finally {
      slot.release();
    }
  });
}

type DecisionKey = Pick<DecisionView, 'itemId' | 'decisionId'> & { proposal: Pick<DecisionView['proposal'], 'occurredAt'> };

/** The listing's order: proposal time, then item, then decision id (unique). */
function compareDecisions(a: DecisionKey, b: DecisionKey): number {
  return compare(a.proposal.occurredAt, b.proposal.occurredAt) || compare(a.itemId, b.itemId) || compare(a.decisionId, b.decisionId);
}

const decisionCursorSchema = z.tuple([z.literal('decisions'), z.string(), ItemId, z.string()]);

function encodeDecisionCursor(seal: CursorSeal, decision: DecisionKey): string {
  return seal.seal(['decisions', decision.proposal.occurredAt, decision.itemId, decision.decisionId]);
}

function decodeDecisionCursor(seal: CursorSeal, text: string): DecisionKey {
  const [, occurredAt, itemId, decisionId] = seal.open(text, decisionCursorSchema, 'decisions');
  return { proposal: { occurredAt }, itemId, decisionId };
}

function compare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** `isOverdue` over an index entry: the deadline is the end of the target date in Asia/Hong_Kong. */
function overdueOf(status: JointStatus, targetDate: string | null, now: string): boolean {
  return status !== 'closed' && targetDate !== null && hongKongDate(now) > targetDate;
}
