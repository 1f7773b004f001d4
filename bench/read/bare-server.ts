// The ratio's base for bench/read: a bare fastify route on the same machine, in its own process.
import { benchServerEnvironment, parseConfig } from '@gdhk/config';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health/ready', async () => ({ status: 'ok' }));
app.get('/bare', async () => ({ itemId: '2019-01', status: 'in_progress' }));
await app.listen({ host: '127.0.0.1', port: parseConfig(benchServerEnvironment, process.env).PORT });
// Exit on SIGTERM through process.exit, so a run under BENCH_SERVICE_NODE_ARGS="--cpu-prof …" leaves this profile too.
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
