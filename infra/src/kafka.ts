import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { requireCommand, waitFor } from './process.ts';

const infraDir = join(import.meta.dirname, '..');
const kafkaDir = join(infraDir, 'kafka');

/** The Kafka version is the one in infra/kafka/pom.xml; the jars are cached per version. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(join(kafkaDir, 'pom.xml'), 'utf8'));
  if (!match?.[1]) throw new Error('infra/kafka/pom.xml names no <kafka.version>');
  return match[1];
}

/** The same version as the Apache Kafka image, for Docker (docker-compose.yml, testcontainers). */
export function kafkaImage(): string {
  return `apache/kafka:${kafkaVersion()}`;
}

/**
 * Fetches the broker's jars from Maven Central (once; later calls find them cached in
 * infra/kafka/.libs/<version>). There is no Kafka package in npm or Debian, and no Docker here.
 */
export function ensureKafkaJars(log: (line: string) => void = () => {}): string {
  const version = kafkaVersion();
  const libs = join(kafkaDir, '.libs', version);
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;
  requireCommand('mvn', 'to fetch the Apache Kafka broker from Maven Central');
  log(`fetching Apache Kafka ${version} from Maven Central into ${libs}`);
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', join(kafkaDir, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.status !== 0) {
    throw new Error(`maven could not fetch Kafka ${version} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  writeFileSync(marker, `${version}\n`);
  return libs;
}

export interface KafkaNodePorts {
  readonly client: number;
  readonly controller: number;
}

export interface KafkaClusterOptions {
  /** One folder per cluster; node folders live below it. Reused (not reformatted) when already formatted. */
  readonly dataDir: string;
  /** Ports per node; the node count is the length (1 for development, 3 for fault tests). */
  readonly nodes: readonly KafkaNodePorts[];
  readonly heapMb?: number;
  readonly log?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

export interface KafkaCluster {
  readonly brokers: string[];
  readonly replicationFactor: number;
  readonly processes: readonly ChildProcess[];
  stop(): Promise<void>;
  /** Stops one node (SIGKILL when `hard`), for fault tests. */
  stopNode(index: number, hard?: boolean): Promise<void>;
  /** Starts a stopped node again on its data and waits until the cluster lists every node. */
  restartNode(index: number): Promise<void>;
  /** SIGSTOP / SIGCONT one node: a broker that hangs without closing its connections. */
  pauseNode(index: number): void;
  resumeNode(index: number): void;
}

function nodeProperties(id: number, ports: KafkaNodePorts, voters: string, dataDir: string, nodeCount: number): string {
  const replication = Math.min(3, nodeCount);
  // A single node must run its internal topics with replication factor 1, or consumer groups
  // and transactions never get a coordinator.
  const minIsr = nodeCount >= 3 ? 2 : 1;
  return [
    'process.roles=broker,controller',
    `node.id=${id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.client},CONTROLLER://127.0.0.1:${ports.controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.client}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dataDir, 'log')}`,
    'num.partitions=6',
    `default.replication.factor=${replication}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${replication}`,
    'offsets.topic.num.partitions=6',
    `transaction.state.log.replication.factor=${replication}`,
    `transaction.state.log.min.isr=${minIsr}`,
    'transaction.state.log.num.partitions=6',
    `share.coordinator.state.topic.replication.factor=${replication}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'log.retention.hours=-1',
    'unclean.leader.election.enable=false',
    '',
  ].join('\n');
}

function java(libs: string, heapMb: number, logFile: string, mainArgs: string[]): string[] {
  return [
    `-Xms${Math.min(256, heapMb)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(kafkaDir, 'log4j2.properties')}`,
    `-Dkafka.logFile=${logFile}`,
    '-cp',
    `${libs}/*`,
    ...mainArgs,
  ];
}

function formatIfNeeded(libs: string, clusterDir: string, nodeDir: string, propertiesFile: string): void {
  if (existsSync(join(nodeDir, 'log', 'meta.properties'))) return;
  const idFile = join(clusterDir, 'cluster-id');
  if (!existsSync(idFile)) {
    const generated = spawnSync('java', ['-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
    const id = generated.stdout.trim().split('\n').pop() ?? '';
    if (generated.status !== 0 || !/^[A-Za-z0-9_-]{22}$/.test(id)) {
      throw new Error(`could not generate a Kafka cluster id: ${generated.stderr}`);
    }
    writeFileSync(idFile, id);
  }
  const clusterId = readFileSync(idFile, 'utf8').trim();
  const formatted = spawnSync('java', ['-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesFile, '--ignore-formatted'], {
    encoding: 'utf8',
  });
  if (formatted.status !== 0) throw new Error(`could not format Kafka storage in ${nodeDir}:\n${formatted.stdout}${formatted.stderr}`);
}

/** Starts a KRaft cluster of combined broker+controller nodes on loopback and waits until it serves. */
export async function startKafkaCluster(options: KafkaClusterOptions): Promise<KafkaCluster> {
  requireCommand('java', 'to run the Apache Kafka broker (Java 17 or later)');
  const log = options.log ?? (() => {});
  const libs = ensureKafkaJars(log);
  const heapMb = options.heapMb ?? (options.nodes.length > 1 ? 384 : 768);
  const voters = options.nodes.map((ports, index) => `${index + 1}@127.0.0.1:${ports.controller}`).join(',');
  mkdirSync(options.dataDir, { recursive: true });

  const processes: ChildProcess[] = [];
  const exited = new Map<number, Promise<void>>();
  const startNode = (index: number) => {
    const ports = options.nodes[index];
    if (!ports) throw new Error(`no node ${index}`);
    const nodeDir = join(options.dataDir, `node-${index + 1}`);
    mkdirSync(nodeDir, { recursive: true });
    const propertiesFile = join(nodeDir, 'server.properties');
    writeFileSync(propertiesFile, nodeProperties(index + 1, ports, voters, nodeDir, options.nodes.length));
    formatIfNeeded(libs, options.dataDir, nodeDir, propertiesFile);
    const child = spawn('java', java(libs, heapMb, join(nodeDir, 'broker.log'), ['kafka.Kafka', propertiesFile]), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    exited.set(index, new Promise((resolve) => child.once('exit', () => resolve())));
    child.once('exit', (code, signal) => {
      if (code !== 0 && code !== 143 && signal !== 'SIGTERM' && signal !== 'SIGKILL') {
        log(`kafka node ${index + 1} exited with ${code ?? signal}; see ${join(nodeDir, 'broker.log')}\n${stderr}`);
      }
    });
    processes[index] = child;
  };
  options.nodes.forEach((_, index) => startNode(index));

  const brokers = options.nodes.map((ports) => `127.0.0.1:${ports.client}`);
  const stopNode = async (index: number, hard = false) => {
    const child = processes[index];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const done = exited.get(index);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await done;
    clearTimeout(timer);
  };
  const signal = (index: number, name: NodeJS.Signals) => {
    const child = processes[index];
    if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`kafka node ${index + 1} is not running`);
    child.kill(name);
  };
  const cluster: KafkaCluster = {
    brokers,
    replicationFactor: Math.min(3, options.nodes.length),
    processes,
    stopNode,
    restartNode: async (index) => {
      const child = processes[index];
      if (child && child.exitCode === null && child.signalCode === null) throw new Error(`kafka node ${index + 1} is still running`);
      startNode(index);
      await waitForKafka(brokers, options.nodes.length, options.readyTimeoutMs ?? 90_000);
    },
    pauseNode: (index) => signal(index, 'SIGSTOP'),
    resumeNode: (index) => signal(index, 'SIGCONT'),
    // Nodes stop together: a KRaft quorum that loses its majority first waits for it forever.
    stop: async () => {
      await Promise.all(options.nodes.map((_, index) => stopNode(index)));
    },
  };
  try {
    await waitForKafka(brokers, options.nodes.length, options.readyTimeoutMs ?? 90_000, () => {
      const dead = processes.findIndex((child) => child.exitCode !== null);
      if (dead >= 0) throw new Error(`kafka node ${dead + 1} exited during start-up; see ${join(options.dataDir, `node-${dead + 1}`, 'broker.log')}`);
    });
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** Ready means: every node is in the cluster metadata and answers. */
export async function waitForKafka(brokers: string[], expectedNodes: number, timeoutMs: number, check: () => void = () => {}): Promise<void> {
  const kafka = new Kafka({ clientId: 'gdhk-infra-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 });
  await waitFor(
    `Kafka at ${brokers.join(',')}`,
    async () => {
      check();
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length >= expectedNodes && cluster.controller !== null;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    timeoutMs,
    300,
  );
}

export function listNodeLogs(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('node-'))
    .map((name) => join(dataDir, name, 'broker.log'));
}
