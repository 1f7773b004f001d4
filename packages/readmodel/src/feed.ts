import type { Side } from '@gdhk/domain';

/** Where a feed entry was read from: side topic, partition, offset. */
export interface FeedSource {
  readonly side: Side;
  readonly partition: number;
  readonly offset: bigint;
}

export function feedSource(side: Side, partition: number, offset: string): string {
  return `${side}/${partition}@${offset}`;
}

const pattern = /^(gd|hk)\/(\d+)@(\d+)$/;

export function parseFeedSource(text: string): FeedSource {
  const match = pattern.exec(text);
  if (!match) throw new Error(`not a feed source: ${JSON.stringify(text)}`);
  return { side: match[1] === 'gd' ? 'gd' : 'hk', partition: Number(match[2]), offset: BigInt(match[3] ?? '0') };
}
