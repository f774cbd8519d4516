import pino from 'pino';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Structured JSON logs on stderr (CloudWatch reads them as-is); stdout stays free for
 * command output. Connection strings and passwords are redacted wherever they appear.
 */
export const log = pino(
  {
    // An invalid LOG_LEVEL is reported by the CLI's config check; logging must still work.
    level: LEVELS.includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL : 'info',
    base: { service: 'spacex-pipeline' },
    redact: { paths: ['databaseUrl', 'password', '*.password', 'connectionString'], censor: '***' },
    formatters: { level: (label) => ({ level: label }) },
  },
  pino.destination({ fd: 2, sync: true }),
);

export type Log = pino.Logger;
