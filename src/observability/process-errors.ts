import type { EventEmitter } from 'node:events';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface ProcessErrorDeps {
  logger: Logger;
  metrics: Metrics;
  /** Ends the process after an uncaught exception (drain briefly so answers are saved, then exit 1). */
  onFatal: (error: unknown) => void;
  /** The process, or a stand-in for tests. */
  process?: EventEmitter;
}

/**
 * The last line of defence. Every connection's messages, upgrades and timers are already
 * isolated (a throw closes that connection with 1011), so what arrives here escaped all of that:
 * - an unhandled promise rejection is a bug in one piece of async work, whose caller was already
 *   answered; it is logged and counted, and the bridge goes on;
 * - an uncaught exception leaves the process in a state nobody can vouch for: it is logged at
 *   fatal with the error, and the bridge drains and exits so that its supervisor restarts it.
 */
export function installProcessHandlers(deps: ProcessErrorDeps): void {
  const target = deps.process ?? process;
  let fatal = false;
  target.on('unhandledRejection', (reason: unknown) => {
    deps.metrics.internalErrors.inc({ scope: 'unhandled_rejection' });
    deps.logger.error({ err: reason }, 'unhandled promise rejection (a bug; the bridge goes on)');
  });
  target.on('uncaughtException', (error: unknown) => {
    deps.metrics.internalErrors.inc({ scope: 'uncaught_exception' });
    deps.logger.fatal({ err: error }, 'uncaught exception: the process state is unknown; draining and exiting');
    if (fatal) return;
    fatal = true;
    deps.onFatal(error);
  });
}
