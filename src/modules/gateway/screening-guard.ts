import type { Logger } from '../../platform/logger.js';
import { createTextScreener, type ScreeningResult, type TextScreener } from '../guards/index.js';
import { guardFailed, inputBlocked } from './gateway.errors.js';
import type { GuardCall, InferenceGuard } from './guard-pipeline.js';
import type { GuardPolicy } from './guard-policy.js';
import type { InferRequest } from './infer-request.js';

/** The response header a flagged (let through) input or conversation carries. */
export const screeningHeader = 'x-warden-screening';

/** The rule categories behind a result (`instruction_override`, …): what a refusal may say, never the text. */
const categoriesOf = (result: ScreeningResult) => [
  ...new Set(result.rules.map((hit) => hit.id.split('.')[0] ?? hit.id)),
];

/**
 * Text screening on the inference path: every string element of a V2 request's BYTES inputs, and the
 * screened roles of a chat conversation, before the model sees them. `block` refuses the request (400,
 * naming the input element or message and the rule categories); `flag` lets it through with
 * `x-warden-screening: flagged`. Monitor mode only flags.
 */
export function createScreeningGuard(deps: { logger: Logger }): InferenceGuard {
  // One screener per policy section: a policy object is replaced, never changed, when its revision moves.
  const screeners = new WeakMap<GuardPolicy['screening'], TextScreener>();
  const screenerFor = (section: GuardPolicy['screening']) => {
    let screener = screeners.get(section);
    if (!screener) {
      try {
        screener = createTextScreener(section.config);
      } catch (err) {
        // Validated when it was stored: a screener that cannot be built refuses rather than lets text through.
        deps.logger.error({ err }, 'the screening settings cannot be used');
        throw guardFailed('screening', 'its settings cannot be used');
      }
      screeners.set(section, screener);
    }
    return screener;
  };

  const note = (call: GuardCall, where: string, result: ScreeningResult) => {
    const fields = {
      requestId: call.ctx.requestId,
      principal: call.ctx.principal.id,
      environment: call.environment,
      model: call.model,
      where,
      verdict: result.verdict,
      score: result.score,
      rules: result.rules.map((r) => r.id),
      limits: result.limits,
    };
    if (result.verdict === 'block') deps.logger.warn(fields, 'input blocked by text screening');
    else deps.logger.info(fields, 'input flagged by text screening');
    if (result.verdict === 'block') throw inputBlocked(where, categoriesOf(result));
    call.headers.set(screeningHeader, 'flagged');
  };

  const screenInputs = async (call: GuardCall, request: InferRequest) => {
    const screener = screenerFor(call.policy.screening);
    for (const [name, tensor] of Object.entries(request.inputs)) {
      if (tensor.type !== 'string') continue;
      const texts = tensor.data as string[];
      for (let i = 0; i < texts.length; i++) {
        const result = await screener.screen(texts[i] as string);
        if (result.verdict !== 'allow') note(call, `input ${JSON.stringify(name)} element ${i}`, result);
      }
    }
    return undefined;
  };

  return {
    name: 'screening',
    beforeRun(call, request) {
      if (!call.policy.screening.enabled) return undefined;
      // No BYTES input, nothing to screen: answered at once, with no promise on the hot path.
      for (const name in request.inputs)
        if (request.inputs[name]?.type === 'string') return screenInputs(call, request);
      return undefined;
    },
    async beforeChat(call, messages) {
      if (!call.policy.screening.enabled) return undefined;
      const result = await screenerFor(call.policy.screening).screenMessages(messages);
      if (result.verdict === 'allow') return undefined;
      const worst = result.messages.filter((m) => m.verdict === result.verdict).map((m) => m.index);
      const where = `message ${worst.join(', ')}`;
      note(call, where, result);
      return undefined;
    },
  };
}
