export { normalQuantile, normalUpperTail } from './normal.js';
export {
  type CompiledProfile,
  compileProfile,
  type InputProfile,
  type LearnProfileOptions,
  learnProfile,
  MAX_GRID_FEATURES,
} from './profile.js';
export {
  SHAPIRO_WILK_MAX_N,
  SHAPIRO_WILK_MIN_N,
  type ShapiroWilkResult,
  shapiroWilk,
  shapiroWilkCoefficients,
  shapiroWilkSorted,
} from './shapiro-wilk.js';
export { createExtractionWatch } from './watch.js';
export {
  DEFAULT_EXTRACTION_CONFIG,
  type ExtractionAlert,
  type ExtractionSignal,
  type ExtractionSnapshot,
  type ExtractionState,
  type ExtractionStats,
  type ExtractionVerdict,
  type ExtractionWatch,
  type ExtractionWatchConfig,
  type ResolvedExtractionConfig,
  resolveExtractionConfig,
  type VolumeWindow,
} from './watch-config.js';
