import type { LoggerService } from '@nestjs/common';

/** One line a Nest app logged. */
export interface CapturedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  context?: string;
  message: string;
}

/**
 * A Nest `LoggerService` that keeps every line, so a test can check what an app logged (and how often).
 *
 * @example
 * const logger = new CapturingLogger();
 * await bootNestApp(AppModule, { logger });
 * expect(logger.matching(/Registered/)).toHaveLength(1);
 */
export class CapturingLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  private push(level: CapturedLine['level'], message: unknown, rest: unknown[]): void {
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    this.lines.push({ level, context, message: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.push('fatal', message, rest);
  }

  /** Lines whose message matches, optionally from one context only. */
  matching(pattern: RegExp, context?: string): CapturedLine[] {
    return this.lines.filter((line) => pattern.test(line.message) && (context === undefined || line.context === context));
  }
}
