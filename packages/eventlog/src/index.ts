export { createKafka, type KafkaClientOptions } from './client.ts';
export { GroupCommitProducer, type GroupCommitOptions, type OutgoingRecord, type BatchObserver } from './group-commit.ts';
export { LogFollower, type FollowerOptions, type LogRecord } from './follower.ts';
export { kafkaProbe } from './probe.ts';
export { itemPartitioner, topicPartitionCount } from './partitioner.ts';
export { LogIdentity } from './identity.ts';
export { readRecordAt, type RecordPosition } from './record-reader.ts';
export { CommittedRecords, LogUnavailableError, SideLog, type PartitionRange, type RecordChunk, type SideLogOptions } from './side-log.ts';
