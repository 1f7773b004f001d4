export { createKafka, type KafkaClientOptions } from './client.ts';
export type { OutgoingRecord, BatchObserver } from './outgoing.ts';
export { LogFollower, type FollowerOptions, type LogRecord } from './follower.ts';
export { PartitionedReader, TopicEnds, TopicPublisher, type PartitionBatch, type PartitionedReaderOptions } from './partitioned-reader.ts';
export { kafkaProbe } from './probe.ts';
export { itemPartitioner, topicPartitionCount } from './partitioner.ts';
export { LogIdentity } from './identity.ts';
export { readRecordAt, type RecordPosition } from './record-reader.ts';
export { LogUnavailableError, SideLog, type PartitionRange, type RecordChunk, type SideLogOptions } from './side-log.ts';
