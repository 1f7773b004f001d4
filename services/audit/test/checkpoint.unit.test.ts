import { describe, expect, it } from 'vitest';
import { holdCheckpoint, truncatedBelowCheckpoint } from '../src/checkpoint.ts';

const topics = ['t.gd.events', 't.hk.events'];
const thisLog = { 't.gd.events': 'gd-now', 't.hk.events': 'hk-now' };
const offsets = { 't.gd.events/0': '3' };
const digest = 'a'.repeat(64);

describe('holdCheckpoint', () => {
  it('holds nothing without a checkpoint', () => {
    expect(holdCheckpoint(undefined, thisLog, topics)).toEqual({ compared: undefined, check: null, failures: [] });
  });

  it('compares a checkpoint of this log', () => {
    const checkpoint = { offsets, digest, log: { ...thisLog } };
    const held = holdCheckpoint(checkpoint, thisLog, topics);
    expect(held).toMatchObject({ compared: checkpoint, check: { log: 'same' }, failures: [] });
  });

  it('never compares a checkpoint of another log, and names both ids per topic', () => {
    const held = holdCheckpoint({ offsets, digest, log: { 't.gd.events': 'gd-before', 't.hk.events': 'hk-now' } }, thisLog, topics);
    expect(held.compared).toBeUndefined();
    expect(held.check).toMatchObject({ log: 'other', note: expect.stringContaining('not compared') });
    expect(held.failures).toEqual([{ topic: 't.gd.events', partition: null, offset: null, stream: null, reason: 'other_log', detail: expect.stringMatching(/topic id gd-now now, the checkpoint recorded gd-before/) }]);
    // With nothing compared, the checkpoint's offsets cannot call this log truncated.
    expect(truncatedBelowCheckpoint([{ topic: 't.gd.events', partition: 0, start: 0n, end: 1n }], held.compared)).toEqual([]);
  });

  it('takes a topic the checkpoint has no id for as another log', () => {
    const held = holdCheckpoint({ offsets, log: { 'other.gd.events': 'x' } }, thisLog, topics);
    expect(held.failures.map((failure) => [failure.topic, failure.reason])).toEqual([
      ['t.gd.events', 'other_log'],
      ['t.hk.events', 'other_log'],
    ]);
    expect(held.failures[0]?.detail).toMatch(/recorded none for this topic/);
  });

  it('reads a checkpoint written before ids were recorded, and says so', () => {
    const checkpoint = { offsets, digest };
    const held = holdCheckpoint(checkpoint, thisLog, topics);
    expect(held).toMatchObject({ compared: checkpoint, check: { log: 'not_recorded', note: expect.stringMatching(/does not record which log/) }, failures: [] });
    expect(truncatedBelowCheckpoint([{ topic: 't.gd.events', partition: 0, start: 0n, end: 1n }], held.compared)).toEqual([expect.objectContaining({ reason: 'truncated', offset: '1' })]);
  });
});
