import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReplayCommand, UsageError } from '../src/options.ts';

describe('parseReplayCommand', () => {
  it('takes defaults from the environment and the contract', () => {
    expect(parseReplayCommand([], {})).toEqual({
      brokers: ['127.0.0.1:9092'],
      topicPrefix: 'gdhk',
      keySetFile: '.keys/keyset.json',
      until: undefined,
      item: undefined,
      format: 'json',
      out: undefined,
      checkpoint: undefined,
      workers: undefined,
      maxSkewMs: 300_000,
    });
    expect(parseReplayCommand(['--prefix', 'p'], { KAFKA_BROKERS: 'k:1,k:2', GDHK_KEYS_DIR: '/keys' })).toMatchObject({ brokers: ['k:1', 'k:2'], topicPrefix: 'p', keySetFile: '/keys/keyset.json' });
  });

  it('reads every option', () => {
    const digest = 'a'.repeat(64);
    expect(parseReplayCommand(['--until', '2025-06-30T16:00:00+08:00', '--item', '2019-03', '--format', 'md', '--out', 'r.md', '--keys', 'k.json', '--expect-offsets', '{"t.gd.events/0":"12"}', '--expect-digest', digest, '--workers', '3'], {})).toMatchObject({
      until: '2025-06-30T16:00:00+08:00',
      item: '2019-03',
      format: 'md',
      out: 'r.md',
      keySetFile: 'k.json',
      checkpoint: { offsets: { 't.gd.events/0': '12' }, digest },
      workers: 3,
    });
  });

  it('reads the log a checkpoint file names, and one without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-options-'));
    const digest = 'b'.repeat(64);
    const withLog = join(dir, 'with-log.json');
    writeFileSync(withLog, JSON.stringify({ digest, offsets: { 't.gd.events/0': 4 }, log: { 't.gd.events': 'id-1' }, verification: {} }));
    expect(parseReplayCommand(['--checkpoint', withLog], {}).checkpoint).toEqual({ digest, offsets: { 't.gd.events/0': '4' }, log: { 't.gd.events': 'id-1' } });
    const withoutLog = join(dir, 'without-log.json');
    writeFileSync(withoutLog, JSON.stringify({ digest, offsets: { 't.gd.events/0': 4 } }));
    expect(parseReplayCommand(['--checkpoint', withoutLog], {}).checkpoint).toEqual({ digest, offsets: { 't.gd.events/0': '4' }, log: undefined });
    rmSync(dir, { recursive: true });
  });

  it.each([
    [['--until', 'yesterday'], /--until/],
    [['--item', '3'], /--item/],
    [['--format', 'pdf'], /--format/],
    [['--workers', '0'], /--workers/],
    [['--expect-offsets', '{"x":1}'], /topic\/partition/],
    [['--expect-digest', 'abc'], /64 lowercase hex/],
    [['--nonsense'], /nonsense/],
    [['--brokers', 'no-port'], /host:port/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReplayCommand(argv, {})).toThrow(UsageError);
    expect(() => parseReplayCommand(argv, {})).toThrow(message);
  });
});
