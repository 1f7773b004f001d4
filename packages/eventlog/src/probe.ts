import type { Kafka } from 'kafkajs';

/**
 * A readiness check that Kafka answers now: a metadata request through a shared admin client,
 * cached briefly so a health-check storm does not become a Kafka request storm.
 */
export function kafkaProbe(kafka: Kafka, cacheMs = 1000): { check: () => Promise<true | string>; close: () => Promise<void> } {
  const admin = kafka.admin({ retry: { retries: 0 } });
  let connected: Promise<void> | undefined;
  let last: { at: number; result: true | string } | undefined;
  return {
    check: async () => {
      if (last && Date.now() - last.at < cacheMs) return last.result;
      let result: true | string;
      try {
        connected ??= admin.connect();
        await connected;
        const cluster = await Promise.race([
          admin.describeCluster(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000)),
        ]);
        result = cluster.brokers.length > 0 ? true : 'no brokers in the cluster metadata';
      } catch (error) {
        connected = undefined;
        result = `kafka unreachable: ${(error as Error).message}`;
      }
      last = { at: Date.now(), result };
      return result;
    },
    close: () => admin.disconnect(),
  };
}
