export { defaultServerUrl, processEnvironment, resolveServerUrl } from './client-config.js';
export type { Config } from './config.schema.js';
export { ConfigSchema, configDefaults, envKeys, GiB, MiB } from './config.schema.js';
export { checkEnvironmentGates } from './environment-gates.js';
export {
  builtinGates,
  type EnvironmentSettings,
  resolveEnvironment,
  type Severity as EnvironmentSeverity,
} from './environments.js';
export { type ConfigProblem, type ConfigSources, configInvalid, loadConfig } from './load-config.js';
export { parseSize } from './parse-size.js';
