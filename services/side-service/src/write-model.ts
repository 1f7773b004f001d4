import { evolveSide, initialSideState, joint, otherSide, type ForkedRecord, type ItemEvent, type JointItem, type Side, type SideItemState } from '@gdhk/domain';
import { GENESIS_HASH } from '@gdhk/integrity';

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
 * response again. The event itself is kept only for recent commands; older ones are re-read from
 * the log at `position`, so memory grows by a couple of hundred bytes per command, not by the
 * event's size. Whether a retry is "the same request" is decided from the event when one comes.
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
  partition: number;
  offset: string;
}

export interface WriteModelOptions {
  readonly side: Side;
  /** How many recent commands keep their whole event for replays without a log read. */
  readonly recentResponses?: number;
}

/**
 * The side service's in-memory fold of both side topics: every item's two side states, which
 * decision belongs to which item, and which commands this side already wrote. Rebuilt from
 * Kafka at every start (Kafka is the only store), so idempotency survives restarts.
 */
export class WriteModel {
  readonly side: Side;
  private readonly items = new Map<string, Entry>();
  private readonly decisionItems = new Map<string, string>();
  private readonly commands = new Map<string, CommandEntry>();
  /** Recent commands' events as JSON: a flat string is far cheaper for the GC to keep than an object tree. */
  private readonly recent = new Map<string, string>();
  private readonly recentLimit: number;
  private applied = 0;
  private readonly options: WriteModelOptions;

  constructor(options: WriteModelOptions) {
    this.options = options;
    this.side = options.side;
    this.recentLimit = options.recentResponses ?? 10_000;
  }

  get eventCount(): number {
    return this.applied;
  }

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
   * `json` is the event as written to the log; `position` comes with events read from it.
   */
  apply(event: ItemEvent, json: string, position?: LogPosition): boolean {
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
      const key = commandKey(event.actor.userId, event.commandId);
      // The item id string of the fold's own state is shared by every command of the item.
      this.commands.set(key, { itemId: next.itemId, streamVersion: event.streamVersion, partition: position?.partition ?? -1, offset: position?.offset ?? '' });
      this.remember(key, json);
    }
    return true;
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
    if (!entry) return undefined;
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
