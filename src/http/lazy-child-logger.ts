import type { FastifyBaseLogger } from 'fastify';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const defaultLevels: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

type Parent = FastifyBaseLogger & { levels?: { values: Record<string, number> }; levelVal?: number };

/**
 * A request's logger made only when a line is written at a level it lets through. Fastify makes a child
 * logger for every request (bound to its request id); with pino's redaction that child costs several
 * microseconds, and on the inference hot path (its routes log at `warn`) nearly every one goes unused.
 * Writing at an enabled level, `child()` or setting `level` makes the real child, with the same bindings
 * and options, and forwards to it from then on: the lines are those the eager child would have written.
 */
class LazyChildLogger {
  #real: FastifyBaseLogger | null = null;
  readonly #threshold: number;

  constructor(
    readonly parent: Parent,
    readonly chindings: Record<string, unknown>,
    readonly options: { level?: string },
  ) {
    const values = parent.levels?.values ?? defaultLevels;
    const level = options.level ?? parent.level;
    this.#threshold = level === 'silent' ? Number.POSITIVE_INFINITY : (values[level] ?? parent.levelVal ?? 0);
  }

  #get(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.chindings, this.options);
    return this.#real;
  }

  #write(method: Method, value: number, args: unknown[]): void {
    if (this.#real === null && value < this.#threshold) return;
    (this.#get()[method] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.#real?.level ?? this.options.level ?? this.parent.level;
  }
  set level(level: string) {
    this.#get().level = level;
  }
  fatal(...args: unknown[]) {
    this.#write('fatal', 60, args);
  }
  error(...args: unknown[]) {
    this.#write('error', 50, args);
  }
  warn(...args: unknown[]) {
    this.#write('warn', 40, args);
  }
  info(...args: unknown[]) {
    this.#write('info', 30, args);
  }
  debug(...args: unknown[]) {
    this.#write('debug', 20, args);
  }
  trace(...args: unknown[]) {
    this.#write('trace', 10, args);
  }
  silent() {}
  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): FastifyBaseLogger {
    return this.#get().child(bindings, options);
  }
}

/** A Fastify child-logger factory (`setChildLoggerFactory`) whose per-request loggers are made on first use. */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: { level?: string },
): FastifyBaseLogger {
  return new LazyChildLogger(logger as Parent, bindings, options) as unknown as FastifyBaseLogger;
}
