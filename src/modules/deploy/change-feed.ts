import { EventEmitter } from 'node:events';

/**
 * Wakes the waiters of an environment's live state in this process the moment a change commits. Other
 * replicas learn of it by reading the revision (the caller polls between wake-ups), so a waiter hears of
 * a change here at once and of one elsewhere within one poll interval.
 */
export interface ChangeFeed {
  notify(environment: string): void;
  /** Resolves on the next notify for `environment`, after `ms`, or when `signal` aborts. */
  wait(environment: string, ms: number, signal?: AbortSignal): Promise<void>;
}

export function createChangeFeed(): ChangeFeed {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify: (environment) => {
      events.emit(environment);
    },
    wait: (environment, ms, signal) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          events.off(environment, done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        events.once(environment, done);
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}
