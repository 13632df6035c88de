import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout when omitted. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** The root logger. Calls get children with their identifiers bound (`logger.child({ callSid })`). */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'telephony-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Health data must never reach logs by accident: these fields are censored wherever they appear.
    redact: {
      paths: ['*.caller_number', '*.callee_number', '*.From', '*.To', '*.Caller', '*.Called', 'req.headers.authorization', 'req.headers.auth'],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(base, options.destination) : pino(base);
}

/** Phone numbers in logs keep only their last four digits. */
export function redactPhone(number: string | undefined | null): string {
  if (!number) return '';
  const digits = number.replace(/\D/g, '');
  return digits.length <= 4 ? '****' : `***${digits.slice(-4)}`;
}
