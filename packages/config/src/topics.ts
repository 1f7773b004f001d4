import { z } from 'zod';

export const sideSchema = z.enum(['gd', 'hk']);
export type Side = z.infer<typeof sideSchema>;

export interface TopicNames {
  readonly side: Readonly<Record<Side, string>>;
  readonly jointChanges: string;
  readonly dlq: string;
}

/** Every process and the audit derive topic names from the same prefix (GDHK_TOPIC_PREFIX). */
export function topicNames(prefix: string): TopicNames {
  return {
    side: { gd: `${prefix}.gd.events`, hk: `${prefix}.hk.events` },
    jointChanges: `${prefix}.joint.changes`,
    dlq: `${prefix}.dlq`,
  };
}
