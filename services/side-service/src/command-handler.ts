import { canonicalJson, sha256Hex } from '@gdhk/integrity';
import { compareInstants, decide, parseEvent, type Command, type ItemEvent, type Side } from '@gdhk/domain';
import type { Principal } from '@gdhk/http';
import { CommandError } from './errors.ts';
import { isFencedError, NotWritten, WriterUnavailable, type SideLogWriter } from './log-writer.ts';
import type { RecordedCommand, WriteModel } from './write-model.ts';

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
  /** the event's JSON exactly as written to the log: the response body */
  readonly json: string;
  /** true when the Idempotency-Key had been used with the same body: nothing was written now */
  readonly replayed: boolean;
}

export interface CommandHandlerDeps {
  readonly side: Side;
  readonly model: WriteModel;
  readonly writer: Pick<SideLogWriter, 'session' | 'settle'>;
  readonly topic: string;
  readonly newId: () => string;
  readonly now: () => string;
  /** Reads the event (its JSON) of an old command whose response the model no longer keeps. */
  readonly readEvent: (recorded: RecordedCommand) => Promise<string>;
  readonly retryAfterSeconds?: number;
  readonly onReplay?: () => void;
  /** Each event about to be sent, with its exact JSON; then, if the log did not acknowledge it, that JSON again. */
  readonly onSending?: (event: ItemEvent, json: string) => void;
  readonly onSendFailed?: (json: string) => void;
  /** How long a write may take to learn from the log whether a failed transaction landed (default 30 s). */
  readonly settleTimeoutMs?: number;
  /** How a write whose transaction failed turned out: certainly not written, or (its commit was sent) landed, absent or unknown. */
  readonly onSettled?: (outcome: 'landed' | 'absent' | 'unknown' | 'not-written') => void;
}

/** How one attempt to write a command ended. */
type Attempt = { readonly written: CommandResult } | { readonly written: undefined; readonly why: string };

/** Attempts at deciding and writing one command before it is answered 503 (each after a failed transaction). */
const MAX_ATTEMPTS = 3;

/** What makes two requests "the same": the event they ask for, without what the service adds. */
function fingerprintOf(event: Pick<ItemEvent, 'type' | 'itemId' | 'data'>): string {
  const data: Record<string, unknown> = { ...event.data };
  if (event.type === 'decision.proposed') delete data.decisionId;
  return sha256Hex(canonicalJson({ type: event.type, itemId: event.itemId, data }));
}

/**
 * The one write path of every route: serialise per item, answer a repeated Idempotency-Key,
 * check If-Match, decide, publish (the group commit hashes the events and seals the transaction)
 * with acks=all, and only then apply to the model.
 */
export class CommandHandler {
  private readonly itemQueues = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<string>();

  private readonly deps: CommandHandlerDeps;

  constructor(deps: CommandHandlerDeps) {
    this.deps = deps;
  }

  async execute(itemId: string, request: CommandRequest): Promise<CommandResult> {
    const flightKey = `${request.principal.userId}\u0000${request.idempotencyKey}`;
    if (this.inFlight.has(flightKey)) {
      throw new CommandError('GDHK_IDEMPOTENCY_IN_FLIGHT', 'a request with this Idempotency-Key is still being processed');
    }
    this.inFlight.add(flightKey);
    try {
      return await this.serialised(itemId, () => this.run(itemId, request));
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  /** Commands on one item run one after another (each sees its predecessor's event); items run in parallel. */
  private serialised<T>(itemId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.itemQueues.get(itemId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.itemQueues.set(itemId, settled);
    // settled never rejects (the catch above) and the clean-up cannot throw: nothing to await.
    void settled.then(() => {
      if (this.itemQueues.get(itemId) === settled) this.itemQueues.delete(itemId);
    });
    return next;
  }

  private get retryAfterSeconds(): number {
    return this.deps.retryAfterSeconds ?? 2;
  }

  private fenced(): CommandError {
    return new CommandError('GDHK_WRITER_FENCED', 'another instance of this side service has taken over writing; send writes to it', { retryAfterSeconds: this.retryAfterSeconds });
  }

  private unavailable(detail: string, cause?: unknown): CommandError {
    return new CommandError('GDHK_LOG_UNAVAILABLE', detail, { retryAfterSeconds: this.retryAfterSeconds, cause });
  }

  /** A command already written with this key: its first response, or 422 when the request differs. */
  private async replayOf(request: CommandRequest, command: Command): Promise<CommandResult | undefined> {
    const recorded = this.deps.model.recordedCommand(request.principal.userId, request.idempotencyKey);
    if (!recorded) return undefined;
    let json = recorded.json;
    let event: ItemEvent;
    try {
      json ??= await this.deps.readEvent(recorded);
      event = parseEvent(JSON.parse(json));
    } catch (error) {
      throw this.unavailable(`the first response to this Idempotency-Key could not be read back from the event log (${(error as Error).message})`, error);
    }
    if (event.itemId !== recorded.itemId || event.streamVersion !== recorded.streamVersion) {
      throw this.unavailable('the event log holds another event where this Idempotency-Key\'s was recorded');
    }
    if (fingerprintOf(event) !== fingerprintOf(previewOf(command))) {
      throw new CommandError('GDHK_IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
    }
    this.deps.onReplay?.();
    return { event, json, replayed: true };
  }

  /**
   * Decides and writes the command; when its transaction fails, learns from the log whether it
   * landed before answering (never guessing), and decides again on the settled model when it did
   * not. A 201 is given only for events committed once; a 503 only when nothing was written or,
   * with GDHK_WRITE_OUTCOME_UNKNOWN, when Kafka could not say in time.
   */
  private async run(itemId: string, request: CommandRequest): Promise<CommandResult> {
    const deadline = Date.now() + (this.deps.settleTimeoutMs ?? 30_000);
    let why = '';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const outcome = await this.attempt(itemId, request, deadline);
      if (outcome.written) return outcome.written;
      why = outcome.why;
      if (Date.now() >= deadline) break;
    }
    throw this.unavailable(`the event log did not take the write (${why}); nothing was written, retry with the same Idempotency-Key`);
  }

  private async attempt(itemId: string, request: CommandRequest, deadline: number): Promise<Attempt> {
    const { deps } = this;
    const now = deps.now();
    const meta: Command['meta'] = {
      actor: { userId: request.principal.userId, department: request.principal.department, role: request.principal.roles.includes('coordinator') ? 'coordinator' : 'staff' },
      side: deps.side,
      now,
      decisionId: deps.newId(),
    };
    const command = request.command(meta);

    // A remembered command is in the log for sure, so it is answered even while Kafka is away.
    const known = await this.replayOf(request, command);
    if (known) return { written: known };

    let session;
    try {
      session = await deps.writer.session();
    } catch (error) {
      if (error instanceof WriterUnavailable) throw error.fenced ? this.fenced() : this.unavailable(`${error.message}; nothing was written, retry with the same Idempotency-Key`, error);
      throw error;
    }
    // A new session has read the log to its end: an earlier attempt of this very request may be there.
    const landed = await this.replayOf(request, command);
    if (landed) return { written: landed };

    const knowledge = deps.model.knowledge(itemId);
    // A halted item takes only the repair of this side's own halted stream (the decider checks it names the fork).
    if (knowledge.integrity && !(command.type === 'repairStream' && knowledge.halt)) {
      throw new CommandError('GDHK_STREAM_INTEGRITY', `item ${itemId} is halted: ${knowledge.integrity}`);
    }
    if (request.expectedVersion !== undefined && request.expectedVersion !== knowledge.own.streamVersion) {
      throw new CommandError('GDHK_VERSION_MISMATCH', `If-Match ${request.expectedVersion} but the ${deps.side} stream of ${itemId} is at ${knowledge.own.streamVersion}`);
    }

    const decided = decide(command, { state: knowledge.own, other: knowledge.other, halt: knowledge.halt });
    // occurredAt never goes backwards within a stream (readers quarantine an event that does):
    // should this machine's clock step back, the stream's last instant stands in for it.
    const lastInstant = knowledge.own.lastOccurredAt;
    const occurredAt = lastInstant !== null && compareInstants(lastInstant, now) > 0 ? lastInstant : now;
    let version = knowledge.own.streamVersion;
    // Schema version 2: the group commit sets prevHash, commit.prev and hash, and its seal signs them.
    const drafts = decided.map((domainEvent) => {
      version += 1;
      return {
        eventId: deps.newId(),
        type: domainEvent.type,
        schemaVersion: 2,
        side: deps.side,
        itemId,
        streamVersion: version,
        occurredAt,
        actor: meta.actor,
        commandId: request.idempotencyKey,
        correlationId: request.correlationId,
        causationId: request.idempotencyKey,
        data: domainEvent.data,
      };
    });
    const lastDraft = drafts.at(-1);
    if (!lastDraft) throw new Error(`command ${command.type} decided no event`);

    let sent: readonly string[] = [];
    // Each event parsed once, as the group commit hashed it: announced to the fold, then applied.
    let parsed: ItemEvent[] = [];
    let values: string[];
    try {
      values = await session.publish({
        topic: deps.topic,
        key: itemId,
        prevHash: knowledge.ownLastHash,
        events: drafts,
        onSending: (json) => {
          sent = json;
          parsed = json.map((value) => parseEvent(JSON.parse(value)));
          parsed.forEach((event, index) => deps.onSending?.(event, json[index] ?? ''));
        },
      });
    } catch (error) {
      for (const value of sent) deps.onSendFailed?.(value);
      if (error instanceof NotWritten) {
        // Certainly not in the log: decide again in a new session (or step down if fenced).
        deps.onSettled?.('not-written');
        if (isFencedError(error)) throw this.fenced();
        return { written: undefined, why: error.reason.message };
      }
      return this.settled(request, command, lastDraft.eventId, deadline, error);
    }
    // The log holds each event as hashed (schema version 2); the model takes it parsed, with its exact JSON.
    const events = values === sent && parsed.length === values.length ? parsed : values.map((value) => parseEvent(JSON.parse(value)));
    events.forEach((event, index) => deps.model.apply(event, values[index]));
    const last = events.at(-1);
    const json = values.at(-1);
    if (!last || json === undefined) throw new Error(`command ${command.type} was written without its events`);
    return { written: { event: last, json, replayed: false } };
  }

  /**
   * The commit of the transaction of the event `lastEventId` was requested and failed: it may have committed. Settle it
   * (the writer finishes or aborts it for good and the model reads the log to its end), then look.
   */
  private async settled(request: CommandRequest, command: Command, lastEventId: string, deadline: number, error: unknown): Promise<Attempt> {
    const { deps } = this;
    const why = (error as Error).message;
    try {
      await deps.writer.settle(deadline);
    } catch (settleError) {
      deps.onSettled?.('unknown');
      throw new CommandError('GDHK_WRITE_OUTCOME_UNKNOWN', `the event log did not acknowledge the write (${why}) and could not yet say whether it landed (${(settleError as Error).message}); retry with the same Idempotency-Key to learn its outcome`, { retryAfterSeconds: this.retryAfterSeconds, cause: settleError });
    }
    const recorded = deps.model.recordedCommand(request.principal.userId, request.idempotencyKey);
    if (!recorded) {
      deps.onSettled?.('absent');
      if (isFencedError(error)) throw this.fenced();
      return { written: undefined, why };
    }
    deps.onSettled?.('landed');
    const replay = await this.replayOf(request, command);
    if (!replay) throw this.unavailable('the write landed but could not be read back');
    // It landed as this very attempt wrote it: that is a first answer, not a replay.
    return { written: replay.event.eventId === lastEventId ? { ...replay, replayed: false } : replay };
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
    case 'repairStream':
      return { type: 'stream.repaired', itemId, data: command.data };
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}
