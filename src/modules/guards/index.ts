export * from './coarsening/index.js';
export * from './extraction/index.js';
export * from './redaction/index.js';
export { builtinRules } from './screening/builtin-rules.js';
export { type NormalizedText, normalizeForScreening } from './screening/normalize-text.js';
export {
  type ClassifierConfig,
  type DecodeConfig,
  defaultScreeningConfig,
  type RulesConfig,
  type ScreeningConfig,
  type ScreeningConfigInput,
} from './screening/screening-config.js';
export type {
  DecodedPayload,
  PayloadEncoding,
  RuleCategory,
  RuleHit,
  ScreeningLimit,
  ScreeningResult,
  ScreeningRule,
  ScreeningVerdict,
  TextClassifier,
  TextOrigin,
  TextSpan,
} from './screening/screening-types.js';
export {
  builtinRuleIds,
  createTextScreener,
  type MessagesScreeningResult,
  type MessageVerdict,
  resolveScreeningConfig,
  type ScreenableMessage,
  type ScreenOptions,
  type TextScreener,
} from './screening/text-screener.js';
