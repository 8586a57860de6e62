import { type CoarseningConfig, type CoarseningMode, coarseningModes } from './coarsening.types.js';

export const COARSENING_MAX_DECIMALS = 6;

/** No coarsening: every output as the model wrote it. */
export const defaultCoarseningConfig: CoarseningConfig = Object.freeze({
  mode: 'off',
  probabilities: null,
  labels: null,
  topK: 1,
  decimals: null,
  passThrough: Object.freeze([]) as readonly string[],
  derivedLabelName: 'label',
});

export type ParsedCoarseningConfig = { ok: true; config: CoarseningConfig } | { ok: false; errors: string[] };

const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 256;

/** A deployment's coarsening settings from untrusted JSON; every problem reported at once; frozen. */
export function parseCoarseningConfig(input: unknown): ParsedCoarseningConfig {
  if (input === undefined || input === null) return { ok: true, config: defaultCoarseningConfig };
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: ['must be an object'] };
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!(key in defaultCoarseningConfig)) errors.push(`unknown setting "${key}"`);
  }
  const config: { -readonly [K in keyof CoarseningConfig]: CoarseningConfig[K] } = {
    ...defaultCoarseningConfig,
  };
  if (raw.mode !== undefined) {
    if ((coarseningModes as readonly unknown[]).includes(raw.mode)) config.mode = raw.mode as CoarseningMode;
    else errors.push(`mode must be one of ${coarseningModes.join(', ')}`);
  }
  for (const key of ['probabilities', 'labels'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (v === null || isName(v)) config[key] = v;
    else errors.push(`${key} must be an output name or null`);
  }
  if (raw.topK !== undefined) {
    if (typeof raw.topK === 'number' && Number.isInteger(raw.topK) && raw.topK >= 1 && raw.topK <= 1000)
      config.topK = raw.topK;
    else errors.push('topK must be an integer from 1 to 1000');
  }
  if (raw.decimals !== undefined) {
    const d = raw.decimals;
    if (
      d === null ||
      (typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= COARSENING_MAX_DECIMALS)
    )
      config.decimals = d;
    else errors.push(`decimals must be an integer from 0 to ${COARSENING_MAX_DECIMALS}, or null`);
  }
  if (raw.passThrough !== undefined) {
    if (Array.isArray(raw.passThrough) && raw.passThrough.every(isName))
      config.passThrough = Object.freeze([...raw.passThrough]);
    else errors.push('passThrough must be a list of output names');
  }
  if (raw.derivedLabelName !== undefined) {
    if (isName(raw.derivedLabelName)) config.derivedLabelName = raw.derivedLabelName;
    else errors.push('derivedLabelName must be an output name');
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: Object.freeze(config) };
}
