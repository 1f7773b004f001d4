import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, environments, infraEnvironment, kafkaSettings, launcherEnvironment, parseConfig, portNumber } from '../src/index.ts';

const schema = z.object({ ...kafkaSettings, PORT: portNumber.default(4101), SIDE: z.enum(['gd', 'hk']) });

const problemsOf = (env: Record<string, string | undefined>, of: z.ZodType = schema): string[] => {
  try {
    parseConfig(of, env);
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

  // Regression: `npm start` read GDHK_PARTITIONS with Number(), so "abc" became NaN partitions.
  it('reads a whole number strictly, naming the bound', () => {
    expect(problemsOf({ GDHK_PARTITIONS: 'abc' }, infraEnvironment)).toEqual(['GDHK_PARTITIONS: expected a whole number ≥ 1 (got "abc")']);
    for (const text of ['', ' ', '1.5', '1e3', '0x10', '0']) expect(problemsOf({ GDHK_PARTITIONS: text }, infraEnvironment), JSON.stringify(text)).toHaveLength(1);
    expect(parseConfig(infraEnvironment, { GDHK_PARTITIONS: '12' }).GDHK_PARTITIONS).toBe(12);
    // z.coerce.number() read "" as port 0.
    expect(problemsOf({ SIDE: 'gd', PORT: '' })).toEqual(['PORT: expected a whole number from 0 to 65535 (got "")']);
  });

  it("treats an empty optional variable as unset where unset has a meaning (npm start's KAFKA_BROKERS=)", () => {
    expect(parseConfig(launcherEnvironment, { KAFKA_BROKERS: '', REDIS_URL: '' })).toMatchObject({ KAFKA_BROKERS: undefined, REDIS_URL: undefined });
    expect(problemsOf({ KAFKA_BROKERS: 'kafka' }, launcherEnvironment)).toEqual(['KAFKA_BROKERS: expected host:port (in entry 0) (got "kafka")']);
  });

  it('every schema accepts an empty environment but for its required variables (SIDE, the bench server\'s PORT)', () => {
    for (const [name, schemas] of Object.entries(environments)) {
      for (const each of schemas) {
        const env = name === 'bench' && 'PORT' in each.shape ? { PORT: '0' } : name === 'side-service' ? { SIDE: 'hk' } : {};
        expect(() => parseConfig(each, env), name).not.toThrow();
      }
    }
  });
});
