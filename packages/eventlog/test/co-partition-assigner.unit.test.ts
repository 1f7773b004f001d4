import { describe, expect, it } from 'vitest';
import { coPartitionAssignment } from '../src/co-partition-assigner.ts';

describe('co-partition assignment', () => {
  const topics = new Map([
    ['p.gd.events', [0, 1, 2, 3, 4]],
    ['p.hk.events', [0, 1, 2, 3, 4]],
  ]);

  it('gives every member partition p of both side topics together', () => {
    const assignment = coPartitionAssignment(['b', 'a'], topics);
    expect(assignment.get('a')).toEqual({ 'p.gd.events': [0, 2, 4], 'p.hk.events': [0, 2, 4] });
    expect(assignment.get('b')).toEqual({ 'p.gd.events': [1, 3], 'p.hk.events': [1, 3] });
  });

  it('assigns each partition number exactly once, whatever the member count', () => {
    for (const count of [1, 2, 3, 7]) {
      const members = Array.from({ length: count }, (_, index) => `m${index}`);
      const owners = new Map<number, string>();
      for (const [member, byTopic] of coPartitionAssignment(members, topics)) {
        expect(byTopic['p.gd.events'] ?? []).toEqual(byTopic['p.hk.events'] ?? []);
        for (const partition of byTopic['p.gd.events'] ?? []) {
          expect(owners.has(partition)).toBe(false);
          owners.set(partition, member);
        }
      }
      expect([...owners.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('is the same on every member, which computes it from the same sorted input', () => {
    expect(coPartitionAssignment(['x', 'y', 'z'], topics)).toEqual(coPartitionAssignment(['z', 'x', 'y'], topics));
  });
});
