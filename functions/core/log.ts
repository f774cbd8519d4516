import { Logger } from '@aws-lambda-powertools/logger';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { styleText } from 'node:util';

/**
 * The one logger of the product, over Powertools Logger: in Lambda it carries the function
 * context (request id, cold start, function name and version, see functions/lambda/observe.ts)
 * and the run's correlation id. Every line goes to stderr, so stdout stays free for command
 * output (and, in Lambda, for the EMF metric blobs). On a terminal (stderr is a TTY and
 * LOG_FORMAT is not `json`) lines are readable; elsewhere (Lambda, CI, pipes) JSON lines.
 * Connection strings and passwords are redacted wherever they appear.
 */

const LEVELS = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'CRITICAL', silent: 'SILENT' } as const;
export type LevelName = keyof typeof LEVELS;
const NAMES = Object.fromEntries(Object.entries(LEVELS).map(([name, upper]) => [upper, name])) as Record<string, LevelName>;

const SECRET_KEYS = new Set(['databaseUrl', 'password', 'connectionString', 'DATABASE_URL']);
const redact = (key: string, value: unknown) => (SECRET_KEYS.has(key) && value !== undefined ? '***' : value);

const pretty = () => process.stderr.isTTY === true && process.env.LOG_FORMAT !== 'json';
/** Attributes a terminal reader does not need on every line. */
const QUIET = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate']);
type Colour = Parameters<typeof styleText>[0];
const COLOURS: Record<string, Colour> = { ERROR: 'red', CRITICAL: 'red', WARN: 'yellow', INFO: 'green', DEBUG: 'gray', TRACE: 'gray' };

class PipelineLogger extends Logger {
  protected override printLog(_level: number, item: LogItem): void {
    item.prepareForPrint();
    const attributes = item.getAttributes();
    const replacer = this.getJsonReplacer();
    if (!pretty()) {
      process.stderr.write(`${JSON.stringify(attributes, replacer)}\n`);
      return;
    }
    const level = String(attributes.level);
    const time = String(attributes.timestamp).slice(11, 23);
    const fields = Object.entries(attributes)
      .filter(([key, value]) => !QUIET.has(key) && value !== undefined)
      .map(([key, value]) => [key, redact(key, value)])
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value, replacer)}`);
    // Node's own styleText colours the level (and leaves it plain where colour is unwanted, e.g. NO_COLOR).
    const label = styleText(COLOURS[level] ?? 'reset', level.padEnd(5), { stream: process.stderr });
    process.stderr.write(`${time} ${label} ${attributes.message}${fields.length ? `  ${fields.join(' ')}` : ''}\n`);
  }
}

const configured = process.env.LOG_LEVEL as LevelName | undefined;
/** The Powertools logger itself, for the Lambda wiring (addContext, appendKeys). */
export const powertoolsLogger = new PipelineLogger({
  serviceName: 'spacex-pipeline',
  // An invalid LOG_LEVEL is reported by the CLI's config check; logging must still work.
  logLevel: configured && configured in LEVELS ? LEVELS[configured] : 'INFO',
  jsonReplacerFn: redact,
});

type Fields = Record<string, unknown>;
type Write = { (fields: Fields, message: string): void; (message: string): void };

function writer(method: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical'): Write {
  return ((first: Fields | string, message?: string) =>
    typeof first === 'string' ? powertoolsLogger[method](first) : powertoolsLogger[method](message ?? '', first)) as Write;
}

/** pino's calling convention (`log.info(fields, message)`), kept so callers need not know the logger underneath. */
export const log = {
  trace: writer('trace'),
  debug: writer('debug'),
  info: writer('info'),
  warn: writer('warn'),
  error: writer('error'),
  fatal: writer('critical'),
  get level(): LevelName {
    return NAMES[powertoolsLogger.getLevelName()] ?? 'info';
  },
  set level(name: string) {
    if (name in LEVELS) powertoolsLogger.setLogLevel(LEVELS[name as LevelName]);
  },
};

export type Log = typeof log;

let correlationId: string | undefined;

/**
 * Tags every following line with `correlationId` until the returned release is called. The id
 * names the run that made a change (`ingest#42`): the loading step sets its own, the
 * `launches.changed` event carries it, and aggregate sets the event's, so one search follows a
 * change end to end. An id already set wins (aggregate's run keeps the event's).
 */
export function correlate(id: string | undefined): () => void {
  if (id === undefined || correlationId !== undefined) return () => {};
  correlationId = id;
  powertoolsLogger.appendKeys({ correlationId: id });
  return () => {
    correlationId = undefined;
    powertoolsLogger.removeKeys(['correlationId']);
  };
}
