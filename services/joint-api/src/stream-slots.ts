/** Why a stream was refused: the user holds their share, or the process holds all it may. */
export type SlotRefusal = 'user' | 'total';

/** Open event streams, per user and in all, each within its cap. */
export class StreamSlots {
  readonly perUser: number;
  readonly total: number;
  private readonly byUser = new Map<string, number>();
  private open = 0;

  constructor(limits: { perUser: number; total: number }) {
    this.perUser = limits.perUser;
    this.total = limits.total;
  }

  get count(): number {
    return this.open;
  }

  /** A slot for one stream of `userId` (release it once, when the stream ends), or why there is none. */
  acquire(userId: string): { release(): void } | SlotRefusal {
    const held = this.byUser.get(userId) ?? 0;
    if (held >= this.perUser) return 'user';
    if (this.open >= this.total) return 'total';
    this.byUser.set(userId, held + 1);
    this.open++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open--;
        const left = (this.byUser.get(userId) ?? 1) - 1;
        if (left === 0) this.byUser.delete(userId);
        else this.byUser.set(userId, left);
      },
    };
  }
}
