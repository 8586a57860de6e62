import type { Config } from './config.schema.js';
import { configInvalid } from './load-config.js';

/** Refuses a start where an environment names a gate that no gate policy defines. */
export function checkEnvironmentGates(config: Readonly<Config>, defined: readonly string[]): void {
  const problems = Object.values(config.environments).flatMap((env) =>
    env.gates
      .map((gate, i) => ({ gate, i }))
      .filter(({ gate }) => !defined.includes(gate))
      .map(({ gate, i }) => ({
        key: `environments.${env.name}.gates.${i}`,
        source: 'config',
        message: `no gate policy defines the gate "${gate}" (defined: ${defined.join(', ')})`,
      })),
  );
  if (problems.length > 0) throw configInvalid(problems);
}
