import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** A record's place in its topic. */
export interface RecordPosition {
  readonly partition: number;
  /** decimal */
  readonly offset: string;
}

/**
 * Reads the one committed record at `position` of `topic`. kafkajs has no group-less fetch, so a
 * throw-away consumer group joins, seeks and leaves; this serves the rare replay of a command
 * old enough to have left the write model's recent responses, not the write path.
 */
export async function readRecordAt(kafka: Kafka, groupPrefix: string, topic: string, position: RecordPosition, timeoutMs = 10_000): Promise<Buffer> {
  const consumer = kafka.consumer({ groupId: `${groupPrefix}.replay.${randomUUID()}`, maxWaitTimeInMs: 50, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    return await new Promise<Buffer>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no record at ${topic}/${position.partition}@${position.offset} within ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (partition !== position.partition) return;
            if (message.offset === position.offset && message.value) resolve(message.value);
            else if (BigInt(message.offset) > BigInt(position.offset)) reject(new Error(`the record at ${topic}/${position.partition}@${position.offset} is gone`));
          },
        })
        .then(() => consumer.seek({ topic, partition: position.partition, offset: position.offset }), reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
  }
}
