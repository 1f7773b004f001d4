import { evolveSide, initialSideState, joint, otherSide, type ForkedRecord, type ItemEvent, type JointItem, type Side, type SideItemState } from '@gdhk/domain';
import { GENESIS_HASH, parseInstant } from '@gdhk/integrity';

export interface ItemKnowledge {
  readonly own: SideItemState;
  readonly other: SideItemState;
  /** hash of this side's latest event of the item: the next event's prevHash */
  readonly ownLastHash: string;
  /** why the item's streams stopped verifying, if they did; no command but this side's repair may extend it then */
  readonly integrity: string | null;
  /** the record that halted this side's stream, while it is halted: what a repair names */
  readonly halt: ForkedRecord | null;
}

/** A fork that halted a side's stream of the item. */
export interface StreamFork {
  readonly fork: ForkedRecord;
  /** the reason and what the verified log said */
  readonly detail: string;
}

interface Entry {
  gd: SideItemState;
  hk: SideItemState;
  lastHash: Record<Side, string>;
  halts: Record<Side, StreamFork | null>;
}

/** Where an event sits in this side's topic. */
export interface LogPosition {
  readonly partition: number;
  readonly offset: string;
}

/**
 * A command this side already wrote, remembered so a retried Idempotency-Key gets its first
 * response again, for the idempotency window after its event's occurredAt. The event itself is
 * kept only for recent commands; older ones are re-read from the log at `position`, so memory
 * grows by a couple of hundred bytes per command in the window, not by the event's size. Whether
 * a retry is "the same request" is decided from the event when one comes.
 */
export interface RecordedCommand {
  readonly itemId: string;
  readonly streamVersion: number;
  /** the event's JSON exactly as it is in the log, for recent commands */
  readonly json: string | undefined;
  readonly position: LogPosition | undefined;
}

interface CommandEntry {
  readonly itemId: string;
  readonly streamVersion: number;
  /** the event's occurredAt (ms): the window is judged on it */
  readonly at: number;
  partition: number;
  offset: string;
}

export interface WriteModelOptions {
  readonly side: Side;
  /** How many recent commands keep their whole event for replays without a log read. */
  readonly recentResponses?: number;
  /**
   * How long after its event's occurredAt a command is remembered (ms; default 7 days): a retry
   * of its Idempotency-Key within the window gets the first response, after it is a new request.
   */
  readonly idempotencyWindowMs?: number;
  /** The clock the window is judged by (ms since the epoch). */
  readonly clock?: () => number;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 7 * 24 * 3_600_000;
/** Forgetting sweeps at most this often; a lookup judges the window exactly all the same. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The side service's in-memory fold of both side topics: every item's two side states, which
 * decision belongs to which item, and which commands this side wrote within the idempotency
 * window. Rebuilt from Kafka at every start (Kafka is the only store), so idempotency survives
 * restarts; commands older than the window are not remembered then either.
 */
export class WriteModel {
  readonly side: Side;
  private readonly items = new Map<string, Entry>();
  private readonly decisionItems = new Map<string, string>();
  private readonly commands = new Map<string, CommandEntry>();
  /** Recent commands' events as JSON: a flat string is far cheaper for the GC to keep than an object tree. */
  private readonly recent = new Map<string, string>();
  private readonly recentLimit: number;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private nextSweep = -Infinity;
  private applied = 0;

  constructor(options: WriteModelOptions) {
    this.side = options.side;
    this.recentLimit = options.recentResponses ?? 10_000;
    this.windowMs = options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
    this.clock = options.clock ?? Date.now;
  }

  get eventCount(): number {
    return this.applied;
  }

  /** Commands remembered for Idempotency-Key replays (those of the window, and any not yet swept). */
  get commandCount(): number {
    return this.commands.size;
  }

  private entry(itemId: string): Entry {
    let entry = this.items.get(itemId);
    if (!entry) {
      entry = { gd: initialSideState('gd', itemId), hk: initialSideState('hk', itemId), lastHash: { gd: GENESIS_HASH, hk: GENESIS_HASH }, halts: { gd: null, hk: null } };
      this.items.set(itemId, entry);
    }
    return entry;
  }

  /**
   * Folds one verified event; an event at or below the stream's version was applied already
   * (the write path applies its own events on acknowledgement, before the log delivers them).
   * `json` is the event as written to the log, for this side's events (the other side's is not
   * kept); `position` comes with events read from it.
   */
  apply(event: ItemEvent, json: string | undefined, position?: LogPosition): boolean {
    const entry = this.entry(event.itemId);
    const state = entry[event.side];
    const own = event.side === this.side;
    if (event.streamVersion <= state.streamVersion) {
      if (own && position) {
        const recorded = this.commands.get(commandKey(event.actor.userId, event.commandId));
        if (recorded && recorded.streamVersion === event.streamVersion && recorded.itemId === event.itemId && recorded.partition < 0) {
          recorded.partition = position.partition;
          recorded.offset = position.offset;
        }
      }
      return false;
    }
    const next = evolveSide(state, event);
    entry[event.side] = next;
    entry.lastHash[event.side] = event.hash;
    this.applied += 1;
    // The verified log takes a repair only for the fork that halted the stream, so it ends the halt.
    if (event.type === 'stream.repaired') entry.halts[event.side] = null;
    if (event.type === 'decision.proposed') this.decisionItems.set(event.data.decisionId, next.itemId);
    if (own) {
      const now = this.clock();
      const at = parseInstant(event.occurredAt) ?? now;
      if (this.inWindow(at, now)) {
        const key = commandKey(event.actor.userId, event.commandId);
        // Re-inserted, not updated: the map's order is the order commands age out in.
        this.commands.delete(key);
        // The item id string of the fold's own state is shared by every command of the item.
        this.commands.set(key, { itemId: next.itemId, streamVersion: event.streamVersion, at, partition: position?.partition ?? -1, offset: position?.offset ?? '' });
        if (json !== undefined) this.remember(key, json);
      }
      this.forgetExpired(now);
    }
    return true;
  }

  private inWindow(at: number, now: number): boolean {
    return now - at < this.windowMs;
  }

  /**
   * Forgets commands older than the window, oldest first, stopping at the first one still inside
   * it; at most once a minute unless `force`d. Commands are folded nearly in occurredAt order (one
   * clock writes them; catch-up interleaves partitions), so few outlive the window by much, and
   * none is replayed after it: `recordedCommand` judges each lookup itself.
   */
  forgetExpired(now = this.clock(), force = false): void {
    if (!force && now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [key, entry] of this.commands) {
      if (this.inWindow(entry.at, now)) break;
      this.commands.delete(key);
      this.recent.delete(key);
    }
  }

  private remember(key: string, json: string): void {
    if (this.recentLimit <= 0) return;
    this.recent.delete(key);
    this.recent.set(key, json);
    if (this.recent.size > this.recentLimit) {
      const oldest = this.recent.keys().next();
      if (!oldest.done) this.recent.delete(oldest.value);
    }
  }

  /** A fork halted a side's stream of the item: the item takes no more writes until that side repairs it. */
  halt(itemId: string, side: Side, fork: StreamFork): void {
    const entry = this.entry(itemId);
    entry.halts[side] ??= fork;
  }

  /** Halted streams, counted by reason (`fork`, the only one). */
  haltedStreams(): Map<string, number> {
    let forks = 0;
    for (const entry of this.items.values()) forks += (entry.halts.gd ? 1 : 0) + (entry.halts.hk ? 1 : 0);
    return forks === 0 ? new Map() : new Map([['fork', forks]]);
  }

  knowledge(itemId: string): ItemKnowledge {
    const entry = this.entry(itemId);
    const other = otherSide(this.side);
    const halted = entry.halts[this.side] ? this.side : entry.halts[other] ? other : null;
    const integrity = halted === null ? null : describeFork(halted, itemId, entry.halts[halted]);
    return { own: entry[this.side], other: entry[other], ownLastHash: entry.lastHash[this.side], integrity, halt: entry.halts[this.side]?.fork ?? null };
  }

  /** The item's joint view as this side knows it (the other side as far as it has been read). */
  jointItem(itemId: string): JointItem {
    const entry = this.entry(itemId);
    return joint(entry.gd, entry.hk);
  }

  itemOfDecision(decisionId: string): string | undefined {
    return this.decisionItems.get(decisionId);
  }

  recordedCommand(userId: string, commandId: string): RecordedCommand | undefined {
    const key = commandKey(userId, commandId);
    const entry = this.commands.get(key);
    if (!entry || !this.inWindow(entry.at, this.clock())) return undefined;
    return {
      itemId: entry.itemId,
      streamVersion: entry.streamVersion,
      position: entry.partition < 0 ? undefined : { partition: entry.partition, offset: entry.offset },
      json: this.recent.get(key),
    };
  }
}

function describeFork(side: Side, itemId: string, halt: StreamFork | null): string {
  if (!halt) return '';
  const { fork } = halt;
  return `the ${side.toUpperCase()} stream of ${itemId} is halted by ${fork.topic}/${fork.partition}@${fork.offset} (hash ${fork.hash}): ${halt.detail}`;
}

// Idempotency keys are scoped to the user: one user's key can never replay another's write.
const commandKey = (userId: string, commandId: string) => `${userId}\u0000${commandId}`;
