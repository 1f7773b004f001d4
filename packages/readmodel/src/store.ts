import type { Redis, Result } from 'ioredis';
import type { GenerationKeys } from './keys.ts';

export interface PartitionAdvance {
  readonly topicPartition: string;
  /** The offset this batch starts from; the write is refused if Redis holds another one. */
  readonly from: string;
  readonly to: string;
}

export interface ApplyBatch {
  readonly advances: readonly PartitionAdvance[];
  readonly items: readonly { itemId: string; document: string }[];
  readonly feed: readonly string[];
}

export type ApplyResult = { applied: true; feedIds: string[] } | { applied: false; conflict: string };

// Compare-and-set on the consumed offsets, then the item documents, the feed entries and the new
// offsets, all in one script: Redis runs it atomically, so a redelivered batch (offsets already
// past `from`) or a consumer that lost its partitions to a newer one changes nothing.
const applyScript = `
local offsets = KEYS[1]
local items = KEYS[2]
local feed = KEYS[3]
local nAdv = tonumber(ARGV[1])
local i = 2
for _ = 1, nAdv do
  local tp, from = ARGV[i], ARGV[i + 1]
  local current = redis.call('HGET', offsets, tp)
  if (current or '0') ~= from then
    return {0, tp .. ' is at ' .. (current or '0') .. ', batch starts at ' .. from}
  end
  i = i + 3
end
i = 2
for _ = 1, nAdv do
  redis.call('HSET', offsets, ARGV[i], ARGV[i + 2])
  i = i + 3
end
local nItems = tonumber(ARGV[i])
i = i + 1
for _ = 1, nItems do
  redis.call('HSET', items, ARGV[i], ARGV[i + 1])
  i = i + 2
end
local nFeed = tonumber(ARGV[i])
i = i + 1
local ids = {}
for _ = 1, nFeed do
  ids[#ids + 1] = redis.call('XADD', feed, '*', 'e', ARGV[i])
  i = i + 1
end
return {1, ids}
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gdhkApply(offsets: string, items: string, feed: string, ...args: string[]): Result<[number, string | string[]], Context>;
  }
}

export class ReadModelStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: GenerationKeys,
  ) {
    redis.defineCommand('gdhkApply', { numberOfKeys: 3, lua: applyScript });
  }

  async apply(batch: ApplyBatch): Promise<ApplyResult> {
    const args: string[] = [String(batch.advances.length)];
    for (const advance of batch.advances) args.push(advance.topicPartition, advance.from, advance.to);
    args.push(String(batch.items.length));
    for (const item of batch.items) args.push(item.itemId, item.document);
    args.push(String(batch.feed.length));
    args.push(...batch.feed);
    const [ok, detail] = await this.redis.gdhkApply(this.keys.offsets, this.keys.items, this.keys.feed, ...args);
    return ok === 1 ? { applied: true, feedIds: detail as string[] } : { applied: false, conflict: detail as string };
  }

  async offsets(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.offsets)));
  }

  async item(itemId: string): Promise<string | null> {
    return this.redis.hget(this.keys.items, itemId);
  }

  async items(itemIds: readonly string[]): Promise<Map<string, string>> {
    if (itemIds.length === 0) return new Map();
    const values = await this.redis.hmget(this.keys.items, ...itemIds);
    const found = new Map<string, string>();
    itemIds.forEach((id, index) => {
      const value = values[index];
      if (value) found.set(id, value);
    });
    return found;
  }

  async allItems(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.items)));
  }

  /** Feed entries after `cursor` (exclusive; '0' for the start), oldest first. */
  async feedAfter(cursor: string, limit: number): Promise<{ cursor: string; entry: string }[]> {
    const rows = await this.redis.xrange(this.keys.feed, `(${cursor}`, '+', 'COUNT', limit);
    return rows.map(([id, fields]) => ({ cursor: id, entry: fields[1] ?? '' }));
  }
}
