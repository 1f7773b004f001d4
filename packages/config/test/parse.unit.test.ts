import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, kafkaSettings, parseConfig, portNumber } from '../src/index.ts';

const schema = z.object({ ...kafkaSettings, PORT: portNumber.default(4101), SIDE: z.enum(['gd', 'hk']) });

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    parseConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

describe('parseConfig', () => {
  it('names every wrong variable at once with the value it got', () => {
    expect(problemsOf({ SIDE: 'macau', PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: .* \(got "70000"\)$/), expect.stringMatching(/^SIDE: .* \(got "macau"\)$/)]);
    expect(problemsOf({})).toEqual([expect.stringMatching(/^SIDE: .*\(got nothing\)$/)]);
  });

  // Regression: a bad broker in KAFKA_BROKERS was reported as `KAFKA_BROKERS.0 … (got "k")`, the first character of the variable.
  it('reports a bad part of a list variable under the variable, with the whole value', () => {
    expect(problemsOf({ SIDE: 'gd', KAFKA_BROKERS: '127.0.0.1:9092,kafka-without-port' })).toEqual([
      'KAFKA_BROKERS: expected host:port (in entry 1) (got "127.0.0.1:9092,kafka-without-port")',
    ]);
  });
});
