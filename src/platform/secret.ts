import { inspect } from 'node:util';

const hidden = '[redacted]';

/**
 * A secret value (an upstream's credential) that cannot leak by accident: it prints, serializes and inspects
 * as `[redacted]`, so a configuration object that holds it can be logged or returned without the value.
 * Only `reveal()` gives it, at the one place that sends it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return hidden;
  }

  toJSON(): string {
    return hidden;
  }

  [inspect.custom](): string {
    return hidden;
  }
}
