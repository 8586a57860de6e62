import { EventEmitter } from 'node:events';

/**
 * Wakes the waiters of an environment's live state in this process the moment a change commits. Other
 * replicas learn of it by reading the revision (the caller polls between wake-ups), so a waiter hears of
 * a change here at once and of one elsewhere within one poll interval.
 */
export interface ChangeFeed {
  notify(environment: string): void;
  /**
   * Subscribes now, and resolves on the next notify for `environment`, after `ms`, or when `signal`
   * aborts. Subscribe before reading the revision, so a change committed in between is not missed.
   */
  wait(environment: string, ms: number, signal?: AbortSignal): { done: Promise<void>; cancel(): void };
}

export function createChangeFeed(): ChangeFeed {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify: (environment) => {
      events.emit(environment);
    },
    wait: (environment, ms, signal) => {
      let finish = () => {};
      const done = new Promise<void>((resolve) => {
        finish = () => {
          clearTimeout(timer);
          events.off(environment, finish);
          signal?.removeEventListener('abort', finish);
          resolve();
        };
        const timer = setTimeout(finish, ms);
        events.once(environment, finish);
        signal?.addEventListener('abort', finish, { once: true });
      });
      return { done, cancel: finish };
    },
  };
}
