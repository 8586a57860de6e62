import { type JsonLimits, jsonLimitViolation } from '../../platform/json-limits.js';

/**
 * A version's free-form `params` are stored and shown with every version: bounded so that storing them
 * (JSON serialization recurses) cannot overflow the stack and listing versions stays cheap.
 */
export const paramsLimits: JsonLimits = { maxDepth: 32, maxBytes: 64 * 1024 };

/** What is wrong with a push's params, or null when they fit. */
export const paramsViolation = (params: unknown): string | null => jsonLimitViolation(params, paramsLimits);
