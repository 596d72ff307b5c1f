import pino, { DestinationStream, Logger } from 'pino';
import { LoggerService } from '@nestjs/common';
import { redactDeep, scrubText } from './redact';

export type GatewayLogger = Logger;

/**
 * Structured JSON logs (pino). Every object is passed through redactDeep and every
 * message through scrubText, so a secret handed to the logger by mistake never
 * reaches the output.
 */
export function createLogger(level: string, destination?: DestinationStream): GatewayLogger {
  return pino(
    {
      level,
      base: { service: 'hris-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : redactDeep(a)));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination ?? stdoutLines(),
  );
}

/**
 * Lines are written to stdout in batches of this many bytes, and at least every LOG_FLUSH_MS:
 * a write per line (one access-log line per request) went through libuv's thread pool each
 * time and cost ~0.1 ms of CPU per request under load (docs/benchmarks.md). What is buffered
 * is written on exit, including an exit after an uncaught exception (pino); a process killed
 * outright loses at most this much.
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 500;

/** The one stdout stream of every logger: one writer, so lines keep their order and batches never interleave. */
let stdout: ReturnType<typeof pino.destination> | undefined;
function stdoutLines(): DestinationStream {
  return (stdout ??= pino.destination({ fd: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }));
}

/** Writes what the loggers have buffered: before text printed to stdout directly must follow it. */
export function flushLogs(): Promise<void> {
  return new Promise((resolve) => (stdout ? stdout.flush(() => resolve()) : resolve()));
}

/**
 * The level until the process has read its configuration. An unknown LOG_LEVEL falls back to
 * `info` here, so importing this module never throws: loadConfig then rejects it, naming the variable.
 */
function startupLevel(raw: string | undefined): string {
  return raw !== undefined && (raw === 'silent' || Object.hasOwn(pino.levels.values, raw)) ? raw : 'info';
}

let rootLogger: GatewayLogger = createLogger(startupLevel(process.env.LOG_LEVEL));

export function setRootLogger(logger: GatewayLogger): void {
  rootLogger = logger;
}

export function getLogger(component?: string): GatewayLogger {
  return component ? rootLogger.child({ component }) : rootLogger;
}

/**
 * Nest's start-up chatter: a line per module, controller and route (~100 lines) that
 * would push the first start's API key off the screen. Kept, at debug.
 */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Adapts pino to Nest's LoggerService so framework messages are JSON too. */
export class NestPinoLogger implements LoggerService {
  log(message: unknown, context?: string) {
    if (context && START_UP_CONTEXTS.has(context)) getLogger(context).debug(toText(message));
    else getLogger(context).info(toText(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    getLogger(context).error({ trace }, toText(message));
  }
  warn(message: unknown, context?: string) {
    getLogger(context).warn(toText(message));
  }
  debug(message: unknown, context?: string) {
    getLogger(context).debug(toText(message));
  }
  verbose(message: unknown, context?: string) {
    getLogger(context).trace(toText(message));
  }
  fatal(message: unknown, context?: string) {
    getLogger(context).fatal(toText(message));
  }
}

function toText(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(redactDeep(message));
}
