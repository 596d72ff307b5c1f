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
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
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
