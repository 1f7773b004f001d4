import { randomUUID } from 'node:crypto';
import { catalogue2019, negotiateLocale, type Catalogue } from '@gdhk/catalogue';
import { AssignmentBody, DecisionAnswerBody, Department, DecisionId, ForkedRecord, ItemEvent, ItemId, ProposeDecisionBody, RepairBody, Side, StatusReportBody, type Command } from '@gdhk/domain';
import { addVary, expectedVersionOf, HttpProblem, IDEMPOTENCY_KEY_FORMAT, IF_MATCH_FORMAT, isIdempotencyKey, parseIdempotencyKey, parseIfMatch, problemSchema, requireRole, SUCCESS_HEADERS, type HttpApp } from '@gdhk/http';
import type { PublicKeyEntry } from '@gdhk/integrity';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CommandHandler, CommandRequest } from './command-handler.ts';
import type { WriteModel } from './write-model.ts';

export interface SideRoutesDeps {
  /** Only `execute` is used: the document can be built without a log behind it. */
  readonly handler: Pick<CommandHandler, 'execute'>;
  readonly model: WriteModel;
  /** This side's public signing keys, current and retired, for whoever verifies its events. */
  readonly publicKeys: readonly PublicKeyEntry[];
  readonly catalogue?: Catalogue;
  /**
   * Resolves once the model holds every event of the other side's topic that is in Kafka now;
   * with `inFlight`, also through transactions not yet marked committed. Decisions answer what
   * the coordinator saw in the joint view, so they must not be judged on a model that lags the
   * other side (a proposal not yet read, a completion not yet seen).
   */
  readonly syncOtherSide?: (options?: { readonly inFlight?: boolean }) => Promise<void>;
}

/** Public, like the keys it lists: the projection and the auditors fetch it without a token. */
export const PUBLIC_KEYS_PATH = '/v1/keys';
const publicKeyEntry = z.object({
  keyId: z.string(),
  side: Side,
  alg: z.literal('Ed25519'),
  publicKey: z.string().describe('base64url of the raw 32-byte Ed25519 public key (JWK x)'),
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
});

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .refine(isIdempotencyKey, IDEMPOTENCY_KEY_FORMAT)
    .describe('Unique per intended write; a retry sends the same key and body. A structured-field string ("…"); the bare key is the same key'),
  'if-match': z
    .string()
    .refine((field) => parseIfMatch(field) !== undefined, IF_MATCH_FORMAT)
    .optional()
    .describe('The stream version the write expects, as the ETag gave it ("3"); strong comparison: a weak tag gets 412; * means any current version'),
  'accept-language': z.string().optional().describe('zh-Hant, zh-Hans or en: the language of problem details'),
});
// DELETE is idempotent in HTTP terms and the contract asks the key of POSTs only: optional here.
const optionalKeyHeaders = idempotencyHeaders.extend({ 'idempotency-key': idempotencyHeaders.shape['idempotency-key'].optional() });
const itemParams = z.object({ itemId: ItemId });
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema, 422: problemSchema, 429: problemSchema, 503: problemSchema };

const localizedItem = z.object({
  itemId: z.string(),
  number: z.number().int(),
  chapter: z.object({ number: z.number().int(), title: z.string() }),
  section: z.object({ number: z.number().int(), title: z.string() }).nullable(),
  text: z.string(),
  locale: z.string(),
});
const sideItem = localizedItem.extend({
  streamVersion: z.number().int(),
  status: z.string(),
  progress: z.number().int(),
  summary: z.string().nullable(),
  nextSteps: z.string().nullable(),
  blockers: z.string().nullable(),
  targetDate: z.string().nullable(),
  departments: z.array(z.string()),
  integrity: z.string(),
  halt: ForkedRecord.nullable().describe("the record that halted this side's stream (a fork), while it is halted: what a repair names"),
  openDecisions: z.array(z.object({ decisionId: z.string(), kind: z.string(), proposedBy: z.string() })),
});

const writeHeaders = ['ETag', 'Idempotent-Replayed'] as const;
const localisedHeaders = ['ETag', 'Content-Language', 'Vary'] as const;
const languageHeaders = z.object({ 'accept-language': z.string().optional().describe('zh-Hant, zh-Hans or en (the default is zh-Hant)') });

/** Every side endpoint of the contract; handlers only translate HTTP to a command and back. */
export function sideRoutes(app: HttpApp, deps: SideRoutesDeps): void {
  const catalogue = deps.catalogue ?? catalogue2019;

  const requireItem = (itemId: string) => {
    if (!catalogue.has(itemId)) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId} in the ${catalogue.year} plan`);
  };
  const itemView = (itemId: string, request: FastifyRequest, reply: FastifyReply) => {
    const locale = negotiateLocale(request.headers['accept-language']);
    reply.header('content-language', locale);
    addVary(reply, 'Accept-Language');
    const localized = catalogue.localized(itemId, locale);
    if (!localized) throw new HttpProblem(404, 'GDHK_ITEM_NOT_FOUND', 'Not Found', `no item ${itemId}`);
    const knowledge = deps.model.knowledge(itemId);
    const view = deps.model.jointItem(itemId);
    const own = view.sides[deps.model.side];
    return {
      itemId,
      number: localized.number,
      chapter: { number: localized.chapter.number, title: localized.chapter.title },
      section: localized.section ? { number: localized.section.number, title: localized.section.title } : null,
      text: localized.text,
      locale,
      streamVersion: own.streamVersion,
      status: own.status,
      progress: own.progress,
      summary: own.summary,
      nextSteps: own.nextSteps,
      blockers: own.blockers,
      targetDate: own.targetDate,
      departments: own.departments,
      integrity: knowledge.integrity ?? 'ok',
      halt: knowledge.halt,
      openDecisions: view.decisions.filter((d) => d.state === 'open').map((d) => ({ decisionId: d.decisionId, kind: d.kind, proposedBy: d.proposedBy })),
    };
  };

  const write = async (
    request: FastifyRequest & { headers: z.infer<typeof optionalKeyHeaders> },
    reply: FastifyReply,
    itemId: string,
    roles: readonly ('staff' | 'coordinator')[],
    command: CommandRequest['command'],
  ) => {
    const principal = requireRole(request, roles);
    const field = request.headers['idempotency-key'];
    const result = await deps.handler.execute(itemId, {
      principal,
      idempotencyKey: (field === undefined ? undefined : parseIdempotencyKey(field)) ?? randomUUID(),
      correlationId: request.id,
      expectedVersion: expectedVersionOf(request.headers['if-match'], deps.model.knowledge(itemId).own.streamVersion),
      command,
    });
    reply.header('etag', `"${result.event.streamVersion}"`);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    // The event's bytes as they are in the log (validated when it was built), not re-serialised.
    return reply.code(201).type('application/json; charset=utf-8').send(result.json);
  };

  app.get(PUBLIC_KEYS_PATH, {
    schema: { operationId: 'listPublicKeys', tags: ['keys'], summary: "This side's public event-signing keys (the key set format of @gdhk/integrity)", security: [], response: { 200: z.object({ keys: z.array(publicKeyEntry) }), 429: problemSchema } },
  }, async () => ({ keys: [...deps.publicKeys] }));

  app.get('/v1/items', {
    schema: {
      operationId: 'listItems',
      tags: ['items'],
      summary: "The plan's items with this side's state",
      headers: languageHeaders,
      [SUCCESS_HEADERS]: ['Content-Language', 'Vary'],
      response: { 200: z.object({ items: z.array(sideItem) }), 401: problemSchema, 403: problemSchema, 429: problemSchema },
    },
  }, async (request, reply) => {
    requireRole(request, ['staff', 'coordinator']);
    return { items: catalogue.items().map((item) => itemView(item.id, request, reply)) };
  });

  app.get('/v1/items/:itemId', {
    schema: {
      operationId: 'getItem',
      tags: ['items'],
      summary: "One item with this side's state; ETag is the stream version",
      params: itemParams,
      headers: languageHeaders,
      [SUCCESS_HEADERS]: localisedHeaders,
      response: { 200: sideItem, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema },
    },
  }, async (request, reply) => {
    requireRole(request, ['staff', 'coordinator']);
    requireItem(request.params.itemId);
    const view = itemView(request.params.itemId, request, reply);
    reply.header('etag', `"${view.streamVersion}"`);
    return view;
  });

  app.post('/v1/items/:itemId/status', {
    schema: { operationId: 'reportStatus', tags: ['items'], [SUCCESS_HEADERS]: writeHeaders, summary: 'Report status (staff of an assigned department, or a coordinator)', params: itemParams, headers: idempotencyHeaders, body: StatusReportBody, response: { 201: ItemEvent, ...problems } },
  }, async (request, reply) => {
    requireItem(request.params.itemId);
    return write(request, reply, request.params.itemId, ['staff', 'coordinator'], (meta): Command => ({ type: 'reportStatus', itemId: request.params.itemId, data: request.body, meta }));
  });

  app.post('/v1/items/:itemId/repair', {
    schema: {
      operationId: 'repairStream',
      tags: ['items'],
      [SUCCESS_HEADERS]: writeHeaders,
      summary: "Repair this side's halted stream (coordinators): it goes on from the head before the fork; the body names the forking record as the item's `halt` shows it",
      params: itemParams,
      headers: idempotencyHeaders,
      body: RepairBody,
      response: { 201: ItemEvent, ...problems },
    },
  }, async (request, reply) => {
    requireItem(request.params.itemId);
    return write(request, reply, request.params.itemId, ['coordinator'], (meta): Command => ({ type: 'repairStream', itemId: request.params.itemId, data: request.body, meta }));
  });

  app.post('/v1/items/:itemId/assignments', {
    schema: { operationId: 'assignDepartment', tags: ['items'], [SUCCESS_HEADERS]: writeHeaders, summary: 'Assign a department to the item (coordinators)', params: itemParams, headers: idempotencyHeaders, body: AssignmentBody, response: { 201: ItemEvent, ...problems } },
  }, async (request, reply) => {
    requireItem(request.params.itemId);
    return write(request, reply, request.params.itemId, ['coordinator'], (meta): Command => ({ type: 'assignDepartment', itemId: request.params.itemId, data: request.body, meta }));
  });

  app.delete('/v1/items/:itemId/assignments/:department', {
    schema: {
      operationId: 'unassignDepartment',
      tags: ['items'],
      [SUCCESS_HEADERS]: writeHeaders,
      summary: 'Unassign a department (coordinators)',
      params: z.object({ itemId: ItemId, department: Department }),
      headers: optionalKeyHeaders,
      response: { 201: ItemEvent, ...problems },
    },
  }, async (request, reply) => {
    requireItem(request.params.itemId);
    return write(request, reply, request.params.itemId, ['coordinator'], (meta): Command => ({ type: 'unassignDepartment', itemId: request.params.itemId, data: { department: request.params.department }, meta }));
  });

  app.post('/v1/decisions', {
    schema: { operationId: 'proposeDecision', tags: ['decisions'], [SUCCESS_HEADERS]: writeHeaders, summary: 'Propose a decision (coordinators); the proposing side approves implicitly', headers: idempotencyHeaders, body: ProposeDecisionBody, response: { 201: ItemEvent, ...problems } },
  }, async (request, reply) => {
    const { itemId, ...proposal } = request.body;
    requireItem(itemId);
    // A proposal depends on the other side's state (both sides completed, no open decision), and
    // the other side's completion answered 201 a moment ago can still lack its commit marker:
    // read through what is in flight, not only to the last stable offset (proposals are rare).
    await syncOtherSide({ inFlight: true });
    return write(request, reply, itemId, ['coordinator'], (meta): Command => ({ type: 'proposeDecision', itemId, data: proposal, meta }));
  });

  const syncOtherSide = async (options?: { readonly inFlight?: boolean }) => {
    if (!deps.syncOtherSide) return;
    try {
      await deps.syncOtherSide(options);
    } catch (error) {
      throw new HttpProblem(503, 'GDHK_LOG_UNAVAILABLE', 'Service Unavailable', `the other side's events cannot be read right now (${(error as Error).message})`, undefined, { 'retry-after': '2' });
    }
  };
  const decisionParams = z.object({ decisionId: DecisionId });
  const itemOfDecision = async (decisionId: string) => {
    await syncOtherSide();
    // A proposal answered 201 a moment ago can still lack its commit marker on the other side's
    // topic (the coordinator writes markers after EndTxn returns): before saying "no such
    // decision", read through what is in flight.
    const itemId = deps.model.itemOfDecision(decisionId) ?? (await syncOtherSide({ inFlight: true }), deps.model.itemOfDecision(decisionId));
    if (!itemId) throw new HttpProblem(404, 'GDHK_DECISION_NOT_FOUND', 'Not Found', `no decision ${decisionId} has been proposed`);
    return itemId;
  };
  for (const answer of ['approve', 'reject'] as const) {
    app.post(`/v1/decisions/:decisionId/${answer}`, {
      schema: { operationId: `${answer}Decision`, tags: ['decisions'], [SUCCESS_HEADERS]: writeHeaders, summary: `${answer === 'approve' ? 'Approve' : 'Reject'} the other side's open decision (coordinators)`, params: decisionParams, headers: idempotencyHeaders, body: DecisionAnswerBody.nullish(), response: { 201: ItemEvent, ...problems } },
    }, async (request, reply) => {
      const itemId = await itemOfDecision(request.params.decisionId);
      const data = request.body ?? {};
      return write(request, reply, itemId, ['coordinator'], (meta): Command =>
        answer === 'approve'
          ? { type: 'approveDecision', itemId, decisionId: request.params.decisionId, data, meta }
          : { type: 'rejectDecision', itemId, decisionId: request.params.decisionId, data, meta },
      );
    });
  }
  app.post('/v1/decisions/:decisionId/withdraw', {
    schema: { operationId: 'withdrawDecision', tags: ['decisions'], [SUCCESS_HEADERS]: writeHeaders, summary: "Withdraw this side's open decision (coordinators)", params: decisionParams, headers: idempotencyHeaders, response: { 201: ItemEvent, ...problems } },
  }, async (request, reply) => {
    const itemId = await itemOfDecision(request.params.decisionId);
    return write(request, reply, itemId, ['coordinator'], (meta): Command => ({ type: 'withdrawDecision', itemId, decisionId: request.params.decisionId, meta }));
  });
}
