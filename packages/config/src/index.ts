export { parseConfig, ConfigError, booleanFlag, portNumber, wholeNumber, unsetWhenEmpty } from './parse.ts';
export { sideSchema, type Side, topicNames, type TopicNames } from './topics.ts';
export { kafkaSettings, redisSettings, httpSettings, logSettings, logLevel, keysSettings, jwtSettings, brokerList, redisUrl } from './settings.ts';
export {
  environments,
  sideServiceEnvironment,
  projectionEnvironment,
  jointApiEnvironment,
  auditEnvironment,
  tokenEnvironment,
  launcherEnvironment,
  infraEnvironment,
  benchEnvironment,
  benchServerEnvironment,
} from './environments.ts';
