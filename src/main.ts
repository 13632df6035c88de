import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { loadConfig } from './config';
import { isBridgeError } from './errors';
import { type Logger, createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { loadQuestionnaireDir } from './questionnaire/load';
import { createApp } from './server/app';
import { Readiness } from './server/readiness';

/** Composition root: the only place that builds concrete things and reads the environment. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const startedAt = performance.now();

  const questionnaires = loadQuestionnaireDir(config.questionnairesDir);
  if (!questionnaires.has(config.defaultQuestionnaire)) {
    throw new Error(
      `DEFAULT_QUESTIONNAIRE="${config.defaultQuestionnaire}" is not among the questionnaires in ${config.questionnairesDir} (${[...questionnaires.keys()].join(', ')})`,
    );
  }
  logger.info({ questionnaires: [...questionnaires.keys()], dir: config.questionnairesDir }, 'questionnaires loaded');
  mkdirSync(config.dataDir, { recursive: true });

  const metrics = createMetrics();
  const readiness = new Readiness();
  const app = createApp({ logger, metrics, readiness });
  const server = await listen(app.listen.bind(app), config.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  readiness.markReady();
  logger.info({ port, startupMs: Math.round(performance.now() - startedAt) }, 'bridge listening');

  handleShutdown(server, readiness, logger);
}

function listen(listenFn: (port: number, cb: () => void) => Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = listenFn(port, () => resolve(server));
    server.once('error', reject);
  });
}

/** SIGTERM/SIGINT: /ready turns 503 first, then the server stops accepting, then the process exits. */
function handleShutdown(server: Server, readiness: Readiness, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    readiness.markDraining();
    logger.info({ signal }, 'draining: no new calls, closing the server');
    server.close(() => {
      logger.info('server closed, exiting');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Keep-alive sockets of load balancers must not hold the exit forever.
    setTimeout(() => {
      logger.warn('connections still open after 10 s, exiting anyway');
      process.exit(0);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad LOG_LEVEL): startup errors go to stderr as one clear line.
  const code = isBridgeError(error) ? error.code : 'STARTUP_FAILED';
  process.stderr.write(`bridge cannot start [${code}]:\n${(error as Error).message}\n`);
  process.exit(1);
});
