export { parseConfig, ConfigError, booleanFlag, portNumber } from './parse.ts';
export { sideSchema, type Side, topicNames, type TopicNames } from './topics.ts';
export { kafkaSettings, redisSettings, httpSettings, logSettings } from './settings.ts';
