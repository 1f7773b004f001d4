import { evolveSide, initialSideState, type ItemEvent, type Side, type SideItemState } from '@gdhk/domain';
import { GENESIS_HASH } from '@gdhk/integrity';

export interface ItemKnowledge {
  readonly own: SideItemState;
  readonly other: SideItemState;
  /** hash of this side's latest event of the item: the next event's prevHash */
  readonly ownLastHash: string;
  /** why the item's streams stopped verifying, if they did; no command may extend it then */
  readonly integrity: string | null;
}

interface Entry {
  gd: SideItemState;
  hk: SideItemState;
  lastHash: Record<Side, string>;
  integrity: string | null;
}

/** What a write answered with, remembered so a retried Idempotency-Key returns it again. */
export interface RecordedCommand {
  readonly fingerprint: string;
  readonly event: ItemEvent;
}

/**
 * The side service's in-memory fold of both side topics: every item's two side states, which
 * decision belongs to which item, and which commands this side already wrote. Rebuilt from
 * Kafka at every start (Kafka is the only store), so idempotency survives restarts.
 */
export class WriteModel {
  private readonly items = new Map<string, Entry>();
  private readonly decisionItems = new Map<string, string>();
  private readonly commands = new Map<string, RecordedCommand>();
  private applied = 0;

  constructor(
    readonly side: Side,
    private readonly fingerprintOf: (event: ItemEvent) => string,
  ) {}

  get eventCount(): number {
    return this.applied;
  }

  private entry(itemId: string): Entry {
    let entry = this.items.get(itemId);
    if (!entry) {
      entry = { gd: initialSideState('gd', itemId), hk: initialSideState('hk', itemId), lastHash: { gd: GENESIS_HASH, hk: GENESIS_HASH }, integrity: null };
      this.items.set(itemId, entry);
    }
    return entry;
  }

  /** Folds one verified event; an event at or below the stream's version was applied already. */
  apply(event: ItemEvent): boolean {
    const entry = this.entry(event.itemId);
    const state = entry[event.side];
    if (event.streamVersion <= state.streamVersion) return false;
    entry[event.side] = evolveSide(state, event);
    entry.lastHash[event.side] = event.hash;
    this.applied += 1;
    if (event.type === 'decision.proposed') this.decisionItems.set(event.data.decisionId, event.itemId);
    if (event.side === this.side) this.commands.set(commandKey(event.actor.userId, event.commandId), { fingerprint: this.fingerprintOf(event), event });
    return true;
  }

  /** A stream of the item failed verification: the item takes no more writes until repaired. */
  halt(itemId: string, reason: string): void {
    const entry = this.entry(itemId);
    entry.integrity ??= reason;
  }

  knowledge(itemId: string): ItemKnowledge {
    const entry = this.entry(itemId);
    const own = entry[this.side];
    const other = entry[this.side === 'gd' ? 'hk' : 'gd'];
    return { own, other, ownLastHash: entry.lastHash[this.side], integrity: entry.integrity };
  }

  itemOfDecision(decisionId: string): string | undefined {
    return this.decisionItems.get(decisionId);
  }

  recordedCommand(userId: string, commandId: string): RecordedCommand | undefined {
    return this.commands.get(commandKey(userId, commandId));
  }
}

// Idempotency keys are scoped to the user: one user's key can never replay another's write.
const commandKey = (userId: string, commandId: string) => `${userId}\u0000${commandId}`;
