import type { Logger } from '../../platform/logger.js';
import {
  parseRedactionConfig,
  type RedactionConfig,
  redactTensorStrings,
  redactText,
} from '../guards/index.js';
import { guardFailed } from './gateway.errors.js';
import type { InferenceGuard } from './guard-pipeline.js';
import type { GuardPolicy } from './guard-policy.js';
import type { ResponseTensor } from './infer-request.js';

/** The response header that counts the values redacted from an answer. */
export const redactedHeader = 'x-warden-redacted';

/**
 * PII redaction of what a model returns: every string of a BYTES output, and a chat answer. A value found
 * is replaced by its placeholder (`[EMAIL]`); the answer says how many with `x-warden-redacted`.
 */
export function createRedactionGuard(deps: { logger: Logger }): InferenceGuard {
  const configs = new WeakMap<GuardPolicy['redaction'], RedactionConfig>();
  const configFor = (section: GuardPolicy['redaction']) => {
    let config = configs.get(section);
    if (!config) {
      const parsed = parseRedactionConfig(section.config);
      if (!parsed.ok) {
        deps.logger.error({ problems: parsed.errors }, 'the redaction settings cannot be used');
        throw guardFailed('redaction', 'its settings cannot be used');
      }
      config = parsed.config;
      configs.set(section, config);
    }
    return config;
  };

  return {
    name: 'redaction',
    afterRun(call, _request, outputs) {
      if (!call.policy.redaction.enabled || !outputs.some((o) => o.datatype === 'BYTES')) return undefined;
      const config = configFor(call.policy.redaction);
      let count = 0;
      const redacted = outputs.map((output) => {
        if (output.datatype !== 'BYTES') return output;
        const result = redactTensorStrings(output, config);
        count += result.redactions.length;
        return result.tensor as ResponseTensor;
      });
      if (count > 0) call.headers.set(redactedHeader, String(count));
      return redacted;
    },
    afterChat(call, _messages, answer) {
      if (!call.policy.redaction.enabled) return undefined;
      const result = redactText(answer, configFor(call.policy.redaction));
      if (result.redactions.length > 0) call.headers.set(redactedHeader, String(result.redactions.length));
      return result.text;
    },
  };
}
