export { ensureKafkaJars, kafkaImage, kafkaVersion, startKafkaCluster, waitForKafka, listNodeLogs, type KafkaCluster, type KafkaClusterOptions, type KafkaNodePorts } from './kafka.ts';
export { contractTopics, createContractTopics, deleteTopicsWithPrefix, type TopicLayout } from './topics.ts';
export { ensureRedis, redisAnswers, startRedisServer, type RedisServer } from './redis.ts';
export { freePort, portIsFree, waitFor, sleep } from './process.ts';
export { buildDesk, DESK_DIR, DESK_DIST } from './desk.ts';
