import { HttpProblem } from '@gdhk/http';
import { ReadModelStore, readModelKeys, type ItemDocument } from '@gdhk/readmodel';
import type { Redis } from 'ioredis';

/**
 * joint-api's only source: the live read-model generation in Redis. While no generation is
 * live (first start, or a rebuild after Redis lost its data) every read answers 503.
 */
export class JointReadModel {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = readModelKeys(prefix);
  }

  async live(): Promise<ReadModelStore> {
    const name = await this.redis.get(this.keys.current);
    const generation = name ? this.keys.generation(name) : undefined;
    const state = generation ? await this.redis.hget(generation.meta, 'state') : null;
    if (!generation || state !== 'live') {
      throw new HttpProblem(503, 'GDHK_READ_MODEL_REBUILDING', 'Service Unavailable', 'the joint view is being built from the event log; retry shortly', undefined, { 'retry-after': '2' });
    }
    return new ReadModelStore(this.redis, generation);
  }

  async item(itemId: string): Promise<ItemDocument | undefined> {
    const json = await (await this.live()).item(itemId);
    return json ? (JSON.parse(json) as ItemDocument) : undefined;
  }

  async items(): Promise<ItemDocument[]> {
    const all = await (await this.live()).allItems();
    return [...all.values()].map((json) => JSON.parse(json) as ItemDocument);
  }
}
