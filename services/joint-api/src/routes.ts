import { catalogue2019, negotiateLocale, type Catalogue, type Locale } from '@gdhk/catalogue';
import { DECISION_STATES, hongKongDate, initialSideState, isOverdue, ItemId, joint, JOINT_STATUSES, type DecisionView, type JointItem, type JointStatus } from '@gdhk/domain';
import { HttpProblem, problemSchema, requireRole, type HttpApp } from '@gdhk/http';
import { jointViewDigest, type ItemView } from '@gdhk/readmodel';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor, readFeed, START } from './feed.ts';
import type { JointReadModel } from './read-model.ts';
import { decisionSchema, digestSchema, feedEventSchema, feedPageSchema, jointItemSchema, jointStatusSchema, summarySchema } from './schemas.ts';
import { streamFeed, type FeedTail, type StreamOptions } from './stream.ts';

export interface JointRoutesDeps {
  readonly readModel: JointReadModel;
  readonly tail: FeedTail;
  readonly stream: StreamOptions;
  readonly now: () => string;
  readonly catalogue?: Catalogue;
}

const readers = ['secretariat', 'auditor'] as const;
const unavailable = { 401: problemSchema, 403: problemSchema, 503: problemSchema };

/** The joint-api endpoints of the contract; every read comes from the live read model in Redis. */
export function jointRoutes(app: HttpApp, deps: JointRoutesDeps): void {
  const catalogue = deps.catalogue ?? catalogue2019;

  const localeOf = (request: FastifyRequest, reply: FastifyReply): Locale => {
    const locale = negotiateLocale(request.headers['accept-language']);
    reply.header('content-language', locale).header('vary', 'Accept-Language');
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
      targetDate: item.targetDate,
      targetDateSource: item.targetDateSource,
      escalated: item.escalated,
      sides: item.sides,
      openDecisions: item.decisions.filter((decision) => decision.state === 'open'),
    };
  };

  app.get('/v1/items/:itemId', {
    schema: {
      summary: "One item: both sides' parts, joint status, open decisions",
      params: z.object({ itemId: ItemId }),
      headers: z.object({ 'accept-language': z.string().optional() }),
      response: { 200: jointItemSchema, 404: problemSchema, ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const { itemId } = request.params;
    if (!catalogue.has(itemId)) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
    return present(itemId, await deps.readModel.view(itemId), localeOf(request, reply), deps.now());
  });

  app.get('/v1/items', {
    schema: {
      summary: 'Items with their joint status, filtered by chapter, status and overdue',
      querystring: z.object({
        chapter: z.coerce.number().int().min(1).optional(),
        status: jointStatusSchema.optional(),
        overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
      }),
      response: { 200: z.object({ items: z.array(jointItemSchema) }), ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const { chapter, status, overdue } = request.query;
    const locale = localeOf(request, reply);
    const now = deps.now();
    const index = await deps.readModel.index();
    const wanted = catalogue.items(chapter === undefined ? undefined : { chapter }).filter((item) => {
      const entry = index.get(item.id);
      const itemStatus = entry?.status ?? 'not_started';
      const itemOverdue = entry ? overdueOf(itemStatus, entry.targetDate, now) : false;
      return (status === undefined || itemStatus === status) && (overdue === undefined || itemOverdue === overdue);
    });
    const views = await deps.readModel.views(wanted.map((item) => item.id).filter((id) => index.has(id)));
    return { items: wanted.map((item) => present(item.id, views.get(item.id), locale, now)) };
  });

  app.get('/v1/summary', {
    schema: { summary: 'Item counts per chapter and joint status, with overdue and integrity-flagged counts', response: { 200: summarySchema, ...unavailable } },
  }, async (request, reply) => {
    requireRole(request, readers);
    const locale = localeOf(request, reply);
    const now = deps.now();
    const index = await deps.readModel.index();
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
  });

  app.get('/v1/decisions', {
    schema: {
      summary: 'Decisions of every item, filtered by state and item',
      querystring: z.object({ state: z.enum(DECISION_STATES).optional(), itemId: ItemId.optional() }),
      response: { 200: z.object({ decisions: z.array(decisionSchema) }), ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { state, itemId } = request.query;
    const views = await deps.readModel.views(itemId === undefined ? undefined : [itemId]);
    const decisions: DecisionView[] = [...views.values()].flatMap((view) => view.joint.decisions).filter((decision) => state === undefined || decision.state === state);
    decisions.sort((a, b) => compare(a.proposal.occurredAt, b.proposal.occurredAt) || compare(a.itemId, b.itemId) || compare(a.decisionId, b.decisionId));
    return { decisions };
  });

  app.get('/v1/digest', {
    schema: { summary: 'SHA-256 of the canonical joint view and the side-topic offsets it reflects', response: { 200: digestSchema, ...unavailable } },
  }, async (request) => {
    requireRole(request, readers);
    const { views, offsets } = await deps.readModel.snapshot();
    const { digest, items } = jointViewDigest(views.values());
    return {
      digest,
      offsets: Object.fromEntries(Object.entries(offsets).sort(([a], [b]) => compare(a, b)).map(([topicPartition, offset]) => [topicPartition, Number(offset)])),
      items,
    };
  });

  const cursorQuery = z.object({
    after: z.string().min(1).optional().describe('a cursor from an earlier page (`next` or an entry\'s `cursor`); the start of the feed when absent'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  });

  app.get('/v1/feed', {
    schema: {
      summary: "The combined feed of verified events, in the projection's order, each side's order kept",
      querystring: cursorQuery,
      response: { 200: feedPageSchema, 400: problemSchema, ...unavailable },
    },
  }, async (request) => {
    requireRole(request, readers);
    const { after, limit } = request.query;
    const page = await readFeed(deps.readModel, after === undefined ? START : decodeCursor(after), limit);
    return { events: page.entries.map((entry) => ({ cursor: entry.cursor, event: feedEventSchema.parse(JSON.parse(entry.event)) })), next: encodeCursor(page.next) };
  });

  app.get('/v1/feed/stream', {
    schema: {
      summary: 'The combined feed as Server-Sent Events (`id:` the cursor, `data:` the entry); resumes after `Last-Event-ID`',
      description: 'Sends `: keep-alive` comments while idle. A client that does not read is disconnected and resumes with Last-Event-ID.',
      produces: ['text/event-stream'],
      headers: z.object({ 'last-event-id': z.string().optional() }),
      querystring: z.object({ after: z.string().min(1).optional().describe('used when no Last-Event-ID header is sent') }),
      response: { 200: z.string().describe('text/event-stream'), 400: problemSchema, ...unavailable },
    },
  }, async (request, reply) => {
    requireRole(request, readers);
    const from = request.headers['last-event-id'] ?? request.query.after;
    const cursor = from === undefined ? START : decodeCursor(from);
    // Refuse with 503 up front while no generation is live, rather than opening an empty stream.
    await deps.readModel.assertLive();
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-correlation-id': request.id,
    });
    reply.raw.flushHeaders();
    await streamFeed(reply.raw, cursor, { readModel: deps.readModel, tail: deps.tail, options: deps.stream, logger: request.log });
  });
}

function compare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** `isOverdue` over an index entry: the deadline is the end of the target date in Asia/Hong_Kong. */
function overdueOf(status: JointStatus, targetDate: string | null, now: string): boolean {
  return status !== 'closed' && targetDate !== null && hongKongDate(now) > targetDate;
}
