import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';

const CO_PARTITION_ASSIGNER = 'GdhkCoPartitionAssigner';

/**
 * Assigns partition NUMBERS, not topic-partitions: the member that gets number p gets partition p
 * of every subscribed topic. An item's GD and HK streams share a partition number (same key,
 * same partition count), and its joint view depends on both, so one owner must hold both.
 */
export function coPartitionAssignment(
  memberIds: readonly string[],
  partitionsByTopic: ReadonlyMap<string, readonly number[]>,
): Map<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const numbers = [...new Set([...partitionsByTopic.values()].flat())].sort((a, b) => a - b);
  const assignment = new Map<string, Record<string, number[]>>(members.map((member) => [member, {}]));
  numbers.forEach((partition, index) => {
    const member = members[index % members.length];
    if (member === undefined) return;
    const topics = assignment.get(member) ?? {};
    for (const [topic, partitions] of partitionsByTopic) {
      if (partitions.includes(partition)) (topics[topic] ??= []).push(partition);
    }
    assignment.set(member, topics);
  });
  return assignment;
}

/** The kafkajs adapter of `coPartitionAssignment`. */
export const coPartitionAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITION_ASSIGNER,
  version: 1,
  async assign({ members, topics }) {
    const partitionsByTopic = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((meta) => meta.partitionId)]));
    const assignment = coPartitionAssignment(members.map((member) => member.memberId), partitionsByTopic);
    return [...assignment].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: CO_PARTITION_ASSIGNER, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
  },
});
