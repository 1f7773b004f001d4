import { Redis as IORedis, type Redis, type Result } from 'ioredis';
import type { GenerationKeys, ReadModelKeys } from './keys.ts';
import { encodeSealEntry } from './proof.ts';

export interface ApplyBatch {
  /** The build this writer loaded; a rebuild (or Redis losing its data) changes it and fences the writer off. */
  readonly buildId: string;
  /** Every offset the writer's state depends on: all side topics' offsets of its partition number. */
  readonly expect: readonly { topicPartition: string; offset: string }[];
  /** `to`: where a restart reads again (`offsets`); `read`: the next offset to read (`reached`, default `to`). */
  readonly advance: readonly { topicPartition: string; to: string; read?: string }[];
  readonly items: readonly { itemId: string; document: string; view: string; index: string }[];
  /** `source` is `<side>/<partition>@<offset>`; `event` the event's JSON as it was read. */
  readonly feed: readonly { source: string; event: string }[];
  /** What the inclusion proofs of the events under the batch's seals need (proof.ts): one entry per seal that verified. */
  readonly seals?: readonly SealedBatch[];
  /** Ids of the schema version 1 events the batch applied: signed on their own, no proof is served for them. */
  readonly versionOne?: readonly string[];
}

/** A seal that verified and the events it covers, in log order (its Merkle tree's leaves). */
export interface SealedBatch {
  /** `<side>/<partition>@<offset>` of the seal record */
  readonly ref: string;
  /** the seal's JSON */
  readonly seal: string;
  readonly events: readonly {
    readonly eventId: string;
    readonly hash: string;
    /** the index in the batch's `feed` of the entry holding the event's JSON; without it, `json` is kept */
    readonly feed?: number;
    readonly json: string;
  }[];
}

export type ApplyResult = { applied: true } | { applied: false; conflict: string };

export interface BuildInfo {
  readonly buildId: string;
  readonly state: 'building' | 'live';
  /** `<topic>/<partition>` → the offset the build must reach to go live */
  readonly targets: Record<string, string>;
  /** the identity of the log the build reflects (side topic → Kafka topic id); null for a build from before it was kept */
  readonly log: Record<string, string> | null;
}

// The compare-and-set covers the build id and every offset the writer's in-memory state was
// derived from, then writes documents, views, feed entries and the new offsets, all in one
// script: Redis runs it atomically, so a redelivered batch, a consumer that lost its partitions,
// or a writer that missed a rebuild changes nothing. Every applied batch bumps the prefix's
// version and publishes the change (change.ts), with the items' new views when the generation is
// the one `current` names, so joint-api's memory follows it exactly. With a feed retention (ARGV[2] > 0) the
// oldest entries beyond it are trimmed in the same script, and for each partition the offset
// after its newest trimmed entry is kept, so a reader can tell exactly whether a cursor lost any.
//
// The batch's seals are kept with their events' hashes (proof-seals), and each sealed event's id
// points at its seal, its leaf and the feed entry holding its JSON (proof-events; the JSON itself
// when the feed has no entry for it); the first seal to cover an event is its proof, as for the
// audit. When the feed's retention trims an entry a pointer names, the pointer takes the entry's
// JSON, so a proof outlives the feed's retention.
const applyScript = `
local meta, offsets, items, views, index, feed, trimmed, current, version, reached, proofSeals, proofEvents = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local retention, channel, generation = tonumber(ARGV[2]), ARGV[3], ARGV[4]
if redis.call('HGET', meta, 'buildId') ~= ARGV[1] then
  return {0, 'build ' .. ARGV[1] .. ' is no longer the build of this generation'}
end
local i = 5
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  local at = redis.call('HGET', offsets, ARGV[i]) or '0'
  if at ~= ARGV[i + 1] then
    return {0, ARGV[i] .. ' is at ' .. at .. ', the writer expected ' .. ARGV[i + 1]}
  end
  i = i + 2
end
-- Past every check: from here the batch is applied, and the change is numbered and published.
local served = redis.call('GET', current) == generation
local change = {string.format('%.0f', redis.call('INCR', version)), served and 'applied' or 'applied-aside', generation, ARGV[1]}
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  redis.call('HSET', offsets, ARGV[i], ARGV[i + 1])
  redis.call('HSET', reached, ARGV[i], ARGV[i + 2])
  i = i + 3
end
-- Field/value pairs go to a hash in few HSET calls (unpack takes a bounded number of values).
local function hsetAll(key, pairs)
  for from = 1, #pairs, 1000 do redis.call('HSET', key, unpack(pairs, from, math.min(from + 999, #pairs))) end
end
n = tonumber(ARGV[i]); i = i + 1
local documents, itemViews, entries = {}, {}, {}
for _ = 1, n do
  documents[#documents + 1] = ARGV[i]; documents[#documents + 1] = ARGV[i + 1]
  itemViews[#itemViews + 1] = ARGV[i]; itemViews[#itemViews + 1] = ARGV[i + 2]
  entries[#entries + 1] = ARGV[i]; entries[#entries + 1] = ARGV[i + 3]
  if served then
    change[#change + 1] = ARGV[i]; change[#change + 1] = ARGV[i + 3]; change[#change + 1] = ARGV[i + 2]
  end
  i = i + 4
end
hsetAll(items, documents)
hsetAll(views, itemViews)
hsetAll(index, entries)
n = tonumber(ARGV[i]); i = i + 1
local feedIds = {}
for k = 1, n do
  feedIds[k] = redis.call('XADD', feed, '*', 's', ARGV[i], 'e', ARGV[i + 1])
  i = i + 2
end
n = tonumber(ARGV[i]); i = i + 1
-- The first seal to cover an event is its proof: one pointer per event id, the batch's included.
local sealEntries, pointers, pointed = {}, {}, {}
for _ = 1, n do
  local ref, events = ARGV[i], tonumber(ARGV[i + 2])
  sealEntries[#sealEntries + 1] = ref; sealEntries[#sealEntries + 1] = ARGV[i + 1]
  i = i + 3
  for leaf = 0, events - 1 do
    local eventId, at = ARGV[i], ARGV[i + 1]
    if not pointed[eventId] then
      pointed[eventId] = true
      local held = redis.call('HGET', proofEvents, eventId)
      if not held or held == 'v1' then
        local pointer = at ~= '' and feedIds[tonumber(at)] or ('=' .. ARGV[i + 2])
        pointers[#pointers + 1] = eventId; pointers[#pointers + 1] = ref .. ' ' .. leaf .. ' ' .. pointer
      end
    end
    i = i + 3
  end
end
hsetAll(proofSeals, sealEntries)
hsetAll(proofEvents, pointers)
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do
  redis.call('HSETNX', proofEvents, ARGV[i], 'v1')
  i = i + 1
end
if retention > 0 then
  local excess = redis.call('XLEN', feed) - retention
  if excess > 0 then
    for _, entry in ipairs(redis.call('XRANGE', feed, '-', '+', 'COUNT', excess)) do
      local fields = entry[2]
      for f = 1, #fields, 2 do
        if fields[f] == 's' then
          local partition, offset = string.match(fields[f + 1], '^(%a+/%d+)@(%d+)$')
          if partition then
            local after = tonumber(offset) + 1
            if after > tonumber(redis.call('HGET', trimmed, partition) or '0') then redis.call('HSET', trimmed, partition, string.format('%.0f', after)) end
          end
        elseif fields[f] == 'e' then
          local ok, decoded = pcall(cjson.decode, fields[f + 1])
          local eventId = ok and type(decoded) == 'table' and decoded.eventId
          if type(eventId) == 'string' then
            local sealed, at = string.match(redis.call('HGET', proofEvents, eventId) or '', '^(%S+ %d+ )(.*)$')
            if at == entry[1] then redis.call('HSET', proofEvents, eventId, sealed .. '=' .. fields[f + 1]) end
          end
        end
      end
    end
    redis.call('XTRIM', feed, 'MAXLEN', retention)
  end
end
redis.call('PUBLISH', channel, table.concat(change, '\\31'))
return {1, ''}
`;

// Starts a build of the generation unless one exists. A generation whose meta is gone (Redis
// lost its data, or someone reset it) is wiped first, so no half-lost keys survive into the build.
const beginBuildScript = `
local meta = KEYS[1]
-- A meta without a build id (a partial write, or another layout) is as good as lost: rebuild.
local existing = redis.call('HGET', meta, 'buildId')
if existing and (ARGV[4] == '' or existing ~= ARGV[4]) then
  return redis.call('HMGET', meta, 'buildId', 'state', 'targets', 'log')
end
for k = 2, 10 do redis.call('DEL', KEYS[k]) end
redis.call('DEL', meta)
redis.call('HSET', meta, 'buildId', ARGV[1], 'state', 'building', 'targets', ARGV[2], 'startedAt', ARGV[3], 'log', ARGV[5])
redis.call('PUBLISH', ARGV[6], table.concat({string.format('%.0f', redis.call('INCR', KEYS[11])), 'build', ARGV[7], ARGV[1]}, '\\31'))
return {ARGV[1], 'building', ARGV[2], ARGV[5]}
`;

// Goes live once every target offset is reached (read: held records count as read, see `reached`). 'claim' points `current` here when it names no
// live generation; 'takeover' also switches `current` here at the moment this build goes live.
const promoteScript = `
local meta, offsets, current, version, reached = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local generation, mode, prefix, now, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[6]
if redis.call('HGET', meta, 'buildId') ~= ARGV[5] then return 'gone' end
local state = redis.call('HGET', meta, 'state')
local becameLive = false
if state == 'building' then
  local targets = cjson.decode(redis.call('HGET', meta, 'targets'))
  for tp, target in pairs(targets) do
    local read = math.max(tonumber(redis.call('HGET', offsets, tp) or '0'), tonumber(redis.call('HGET', reached, tp) or '0'))
    if read < tonumber(target) then return 'building' end
  end
  redis.call('HSET', meta, 'state', 'live', 'liveAt', now)
  state = 'live'
  becameLive = true
end
local switched = false
local named = redis.call('GET', current)
if named ~= generation then
  local namedState = named and redis.call('HGET', prefix .. ':rm:' .. named .. ':meta', 'state')
  if (mode == 'takeover' and becameLive) or not namedState or (namedState ~= 'live' and state == 'live') then
    redis.call('SET', current, generation)
    switched = true
  end
end
if becameLive or switched then
  redis.call('PUBLISH', channel, table.concat({string.format('%.0f', redis.call('INCR', version)), 'promoted', generation, ARGV[5]}, '\\31'))
end
return state
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gdhkApply(...args: (string | Buffer)[]): Result<[number, string], Context>;
    gdhkBeginBuild(...args: string[]): Result<(string | null)[], Context>;
    gdhkPromote(...args: string[]): Result<string, Context>;
  }
}

export type SwitchMode = 'claim' | 'takeover';

/** A JSON object of strings as stored in the build meta, or null when absent or not one. */
function stringRecord(json: string | null | undefined): Record<string, string> | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((entry) => typeof entry === 'string')) return null;
    return value as Record<string, string>;
  } catch {
    return null;
  }
}

/** One generation of the read model in Redis: the projection's writes and joint-api's reads. */
export interface ReadModelStoreOptions {
  /** Newest entries the feed keeps (older ones are trimmed as batches are applied); 0, the default, keeps every entry. */
  readonly feedMaxEntries?: number;
}

export class ReadModelStore {
  private readonly redis: Redis;
  readonly keys: GenerationKeys;
  private readonly feedMaxEntries: number;

  constructor(redis: Redis, keys: GenerationKeys, options: ReadModelStoreOptions = {}) {
    this.redis = redis;
    this.keys = keys;
    this.feedMaxEntries = options.feedMaxEntries ?? 0;
    redis.defineCommand('gdhkApply', { numberOfKeys: 12, lua: applyScript });
    redis.defineCommand('gdhkBeginBuild', { numberOfKeys: 11, lua: beginBuildScript });
    redis.defineCommand('gdhkPromote', { numberOfKeys: 5, lua: promoteScript });
  }

  async apply(batch: ApplyBatch): Promise<ApplyResult> {
    const { keys } = this;
    const args: (string | Buffer)[] = [batch.buildId, String(this.feedMaxEntries), keys.changes, keys.name, String(batch.expect.length)];
    for (const { topicPartition, offset } of batch.expect) args.push(topicPartition, offset);
    args.push(String(batch.advance.length));
    for (const { topicPartition, to, read } of batch.advance) args.push(topicPartition, to, read ?? to);
    args.push(String(batch.items.length));
    for (const item of batch.items) args.push(item.itemId, item.document, item.view, item.index);
    args.push(String(batch.feed.length));
    for (const entry of batch.feed) args.push(entry.source, entry.event);
    const seals = batch.seals ?? [];
    args.push(String(seals.length));
    for (const sealed of seals) {
      args.push(sealed.ref, encodeSealEntry(sealed.seal, sealed.events.map((event) => event.hash)), String(sealed.events.length));
      // Lua counts the feed's entries from 1.
      for (const event of sealed.events) args.push(event.eventId, event.feed === undefined ? '' : String(event.feed + 1), event.feed === undefined ? event.json : '');
    }
    const versionOne = batch.versionOne ?? [];
    args.push(String(versionOne.length), ...versionOne);
    const [ok, conflict] = await this.redis.gdhkApply(keys.meta, keys.offsets, keys.items, keys.views, keys.index, keys.feed, keys.feedTrimmed, keys.current, keys.version, keys.reached, keys.proofSeals, keys.proofEvents, ...args);
    return ok === 1 ? { applied: true } : { applied: false, conflict };
  }

  /**
   * The generation's build, starting one (state `building`, with these targets) when there is
   * none, or when `replacing` names the current build (its data is known to be lost).
   */
  async beginBuild(candidate: { buildId: string; targets: Record<string, string>; now: string; log: Record<string, string> }, replacing = ''): Promise<BuildInfo> {
    const { keys } = this;
    const [buildId, state, targets, log] = await this.redis.gdhkBeginBuild(
      keys.meta, keys.offsets, keys.items, keys.views, keys.index, keys.feed, keys.feedTrimmed, keys.reached, keys.proofSeals, keys.proofEvents, keys.version,
      candidate.buildId, JSON.stringify(candidate.targets), candidate.now, replacing, JSON.stringify(candidate.log), keys.changes, keys.name,
    );
    if (!buildId || (state !== 'building' && state !== 'live')) throw new Error(`read-model meta ${keys.meta} is incomplete`);
    return { buildId, state, targets: stringRecord(targets) ?? {}, log: stringRecord(log) };
  }

  /** Marks the build live once it reached its targets and points `current` here as `mode` says. */
  async promote(all: ReadModelKeys, buildId: string, mode: SwitchMode, now: string): Promise<'building' | 'live' | 'gone'> {
    const result = await this.redis.gdhkPromote(this.keys.meta, this.keys.offsets, all.current, all.version, this.keys.reached, this.keys.name, mode, all.prefix, now, buildId, all.changes);
    return result === 'live' || result === 'gone' ? result : 'building';
  }

  async buildId(): Promise<string | null> {
    return this.redis.hget(this.keys.meta, 'buildId');
  }

  async hasOffsets(): Promise<boolean> {
    return (await this.redis.exists(this.keys.offsets)) === 1;
  }

  async offsets(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.offsets)));
  }

  /** Offsets and item documents read together, so they describe one moment of the read model. */
  async partitionState(): Promise<{ offsets: Map<string, string>; items: Map<string, string> }> {
    const results = await this.redis.multi().hgetall(this.keys.offsets).hgetall(this.keys.items).exec();
    const [offsets, items] = (results ?? []).map(([error, value]) => {
      if (error) throw error;
      return new Map(Object.entries(value as Record<string, string>));
    });
    return { offsets: offsets ?? new Map(), items: items ?? new Map() };
  }

  async allItems(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.items)));
  }
}

/** The projection's connection: the store of one generation over its own Redis client. */
export async function connectReadModelStore(url: string, keys: GenerationKeys, options: ReadModelStoreOptions = {}): Promise<{ store: ReadModelStore; ping(): Promise<true | string>; close(): void }> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  return {
    store: new ReadModelStore(redis, keys, options),
    ping: async () => ((await redis.ping()) === 'PONG' ? true : 'redis did not answer PONG'),
    close: () => redis.disconnect(),
  };
}
