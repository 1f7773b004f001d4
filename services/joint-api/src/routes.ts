import { catalogue2019, negotiateLocale, type Catalogue } from '@gdhk/catalogue';
import { isOverdue, ItemId, joint, initialSideState, type JointItem } from '@gdhk/domain';
import { HttpProblem, problemSchema, requireRole, type HttpApp } from '@gdhk/http';
import type { ItemDocument } from '@gdhk/readmodel';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { JointReadModel } from './read-model.ts';

export interface JointRoutesDeps {
  readonly readModel: JointReadModel;
  readonly now: () => string;
  readonly catalogue?: Catalogue;
}

const readers = ['secretariat', 'auditor'] as const;
const jointStatus = z.enum(['not_started', 'in_progress', 'blocked', 'awaiting_decision', 'closed']);
const jointItemSchema = z
  .object({
    itemId: z.string(),
    number: z.number().int(),
    chapter: z.object({ number: z.number().int(), title: z.string() }),
    section: z.object({ number: z.number().int(), title: z.string() }).nullable(),
    text: z.string(),
    locale: z.string(),
    status: jointStatus,
    overdue: z.boolean(),
    integrity: z.string(),
    targetDate: z.string().nullable(),
    escalated: z.boolean(),
    sides: z.record(z.string(), z.unknown()),
    openDecisions: z.array(z.unknown()),
  })
  .meta({ id: 'JointItem' });

/** The joint-api endpoints of the contract; every read comes from Redis. */
export function jointRoutes(app: HttpApp, deps: JointRoutesDeps): void {
  const catalogue = deps.catalogue ?? catalogue2019;

  const present = (itemId: string, document: ItemDocument | undefined, request: FastifyRequest) => {
    const locale = negotiateLocale(request.headers['accept-language']);
    const localized = catalogue.localized(itemId, locale);
    if (!localized) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId}`);
    // An item nobody has written to yet is simply not started: the view of two empty streams.
    const view: JointItem = document?.joint ?? joint(initialSideState('gd', itemId), initialSideState('hk', itemId));
    return {
      itemId,
      number: localized.number,
      chapter: { number: localized.chapter.number, title: localized.chapter.title },
      section: localized.section ? { number: localized.section.number, title: localized.section.title } : null,
      text: localized.text,
      locale,
      status: view.status,
      overdue: isOverdue(view, deps.now()),
      integrity: document?.integrity ?? 'ok',
      targetDate: view.targetDate,
      escalated: view.escalated,
      sides: view.sides,
      openDecisions: view.decisions.filter((decision) => decision.state === 'open'),
    };
  };

  app.get('/v1/items/:itemId', {
    schema: { summary: "One item: both sides' parts, joint status, open decisions", params: z.object({ itemId: ItemId }), response: { 200: jointItemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 503: problemSchema } },
  }, async (request) => {
    requireRole(request, readers);
    const { itemId } = request.params;
    if (!catalogue.has(itemId)) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
    return present(itemId, await deps.readModel.item(itemId), request);
  });

  app.get('/v1/items', {
    schema: {
      summary: 'Items with their joint status, filtered by chapter, status and overdue',
      querystring: z.object({
        chapter: z.coerce.number().int().min(1).optional(),
        status: jointStatus.optional(),
        overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
      }),
      response: { 200: z.object({ items: z.array(jointItemSchema) }), 401: problemSchema, 403: problemSchema, 503: problemSchema },
    },
  }, async (request) => {
    requireRole(request, readers);
    const documents = new Map((await deps.readModel.items()).map((document) => [document.itemId, document]));
    const { chapter, status, overdue } = request.query;
    const items = catalogue
      .items(chapter === undefined ? undefined : { chapter })
      .map((item) => present(item.id, documents.get(item.id), request))
      .filter((item) => (status === undefined || item.status === status) && (overdue === undefined || item.overdue === overdue));
    return { items };
  });
}
