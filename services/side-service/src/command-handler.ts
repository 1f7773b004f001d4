import { canonicalJson, sealEvent, sha256Hex, type SigningKey } from '@gdhk/integrity';
import { decide, ItemEvent, type Command, type Side } from '@gdhk/domain';
import { HttpProblem, type Principal } from '@gdhk/http';
import type { GroupCommitProducer } from '@gdhk/eventlog';
import type { WriteModel } from './write-model.ts';

export interface CommandRequest {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  readonly correlationId: string;
  /** `If-Match`: the stream version the caller last saw */
  readonly expectedVersion: number | undefined;
  /** builds the domain command once the item and the time are known */
  readonly command: (meta: Command['meta']) => Command;
}

export interface CommandResult {
  readonly event: ItemEvent;
  /** true when the Idempotency-Key had been used with the same body: nothing was written now */
  readonly replayed: boolean;
}

export interface CommandHandlerDeps {
  readonly side: Side;
  readonly model: WriteModel;
  readonly producer: GroupCommitProducer;
  readonly topic: string;
  readonly signingKey: SigningKey;
  readonly newId: () => string;
  readonly now: () => string;
  /** Resolves once the model reflects every event now in Kafka (used after a failed write). */
  readonly resync: () => Promise<void>;
}

/** What makes two requests "the same": the event they ask for, without what the service adds. */
export function fingerprintOf(event: Pick<ItemEvent, 'type' | 'itemId' | 'data'>): string {
  const data: Record<string, unknown> = { ...event.data };
  if (event.type === 'decision.proposed') delete data.decisionId;
  return sha256Hex(canonicalJson({ type: event.type, itemId: event.itemId, data }));
}

const unavailable = (detail: string) => new HttpProblem(503, 'GDHK_LOG_UNAVAILABLE', 'Service Unavailable', detail, undefined, { 'retry-after': '2' });

/**
 * The one write path of every route: serialise per item, answer a repeated Idempotency-Key,
 * check If-Match, decide, seal, publish with acks=all, and only then apply to the model.
 */
export class CommandHandler {
  private readonly itemQueues = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<string>();
  private readonly inDoubt = new Set<string>();

  constructor(private readonly deps: CommandHandlerDeps) {}

  async execute(itemId: string, request: CommandRequest): Promise<CommandResult> {
    const flightKey = `${request.principal.userId}\u0000${request.idempotencyKey}`;
    if (this.inFlight.has(flightKey)) {
      throw new HttpProblem(409, 'GDHK_IDEMPOTENCY_IN_FLIGHT', 'Conflict', 'a request with this Idempotency-Key is still being processed');
    }
    this.inFlight.add(flightKey);
    try {
      return await this.serialised(itemId, () => this.run(itemId, request));
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  private serialised<T>(itemId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.itemQueues.get(itemId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.itemQueues.set(itemId, settled);
    void settled.then(() => {
      if (this.itemQueues.get(itemId) === settled) this.itemQueues.delete(itemId);
    });
    return next;
  }

  private async run(itemId: string, request: CommandRequest): Promise<CommandResult> {
    const { deps } = this;
    if (this.inDoubt.has(itemId)) {
      // A write whose outcome we do not know may be in the log: read it before writing again.
      try {
        await deps.resync();
      } catch (error) {
        throw unavailable(`the event log cannot be read right now (${(error as Error).message})`);
      }
      this.inDoubt.delete(itemId);
    }
    const now = deps.now();
    const meta: Command['meta'] = {
      actor: { userId: request.principal.userId, department: request.principal.department, role: request.principal.roles.includes('coordinator') ? 'coordinator' : 'staff' },
      side: deps.side,
      now,
      decisionId: deps.newId(),
    };
    const command = request.command(meta);
    const knowledge = deps.model.knowledge(itemId);

    const recorded = deps.model.recordedCommand(request.principal.userId, request.idempotencyKey);
    if (recorded) {
      if (recorded.fingerprint !== fingerprintOf(previewOf(command))) {
        throw new HttpProblem(422, 'GDHK_IDEMPOTENCY_KEY_REUSED', 'Unprocessable Content', 'this Idempotency-Key was used with a different request');
      }
      return { event: recorded.event, replayed: true };
    }
    if (knowledge.integrity) {
      throw new HttpProblem(409, 'GDHK_STREAM_INTEGRITY', 'Conflict', `item ${itemId} is halted: ${knowledge.integrity}`);
    }
    if (request.expectedVersion !== undefined && request.expectedVersion !== knowledge.own.streamVersion) {
      throw new HttpProblem(412, 'GDHK_VERSION_MISMATCH', 'Precondition Failed', `If-Match ${request.expectedVersion} but the ${deps.side} stream of ${itemId} is at ${knowledge.own.streamVersion}`);
    }

    const decided = decide(command, { state: knowledge.own, other: knowledge.other });
    let prevHash = knowledge.ownLastHash;
    let version = knowledge.own.streamVersion;
    const events = decided.map((domainEvent) => {
      version += 1;
      const sealed = sealEvent(
        {
          eventId: deps.newId(),
          type: domainEvent.type,
          schemaVersion: 1,
          side: deps.side,
          itemId,
          streamVersion: version,
          occurredAt: now,
          actor: meta.actor,
          commandId: request.idempotencyKey,
          correlationId: request.correlationId,
          causationId: request.idempotencyKey,
          data: domainEvent.data,
        },
        prevHash,
        deps.signingKey,
      );
      prevHash = sealed.hash;
      return ItemEvent.parse(sealed);
    });
    if (events.length === 0) throw new Error(`command ${command.type} decided no event`);

    try {
      await deps.producer.sendAll(events.map((event) => ({ topic: deps.topic, key: itemId, value: JSON.stringify(event) })));
    } catch (error) {
      this.inDoubt.add(itemId);
      throw unavailable(`the event log did not acknowledge the write (${(error as Error).message}); nothing was applied, retry with the same Idempotency-Key`);
    }
    for (const event of events) deps.model.apply(event);
    const last = events.at(-1);
    if (!last) throw new Error('unreachable');
    return { event: last, replayed: false };
  }
}

/** The event a command would produce, for fingerprinting a retried request before deciding. */
function previewOf(command: Command): Pick<ItemEvent, 'type' | 'itemId' | 'data'> {
  const itemId = command.itemId;
  switch (command.type) {
    case 'reportStatus':
      return { type: 'item.status-reported', itemId, data: command.data };
    case 'assignDepartment':
      return { type: 'item.department-assigned', itemId, data: command.data };
    case 'unassignDepartment':
      return { type: 'item.department-unassigned', itemId, data: command.data };
    case 'proposeDecision':
      return { type: 'decision.proposed', itemId, data: { decisionId: '', ...command.data } };
    case 'approveDecision':
      return { type: 'decision.approved', itemId, data: { decisionId: command.decisionId, ...command.data } };
    case 'rejectDecision':
      return { type: 'decision.rejected', itemId, data: { decisionId: command.decisionId, ...command.data } };
    case 'withdrawDecision':
      return { type: 'decision.withdrawn', itemId, data: { decisionId: command.decisionId } };
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

