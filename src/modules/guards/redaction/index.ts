export { redactTensorStrings, type TensorRedaction, type TensorRedactionResult } from './redact-tensor.js';
export { findPii, REDACTION_TRUNCATED_MARKER, redactText } from './redact-text.js';
export {
  isPiiType,
  type PiiType,
  type PlaceholderStyle,
  piiTypes,
  placeholderStyles,
  type Redaction,
  type RedactionConfig,
  type RedactionResult,
} from './redaction.types.js';
export {
  defaultRedactionConfig,
  type ParsedRedactionConfig,
  parseRedactionConfig,
  REDACTION_MAX_INPUT_CHARS,
} from './redaction-config.js';
export { summarizeRedactions } from './redaction-summary.js';
