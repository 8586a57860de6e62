import type { Logger } from '../../platform/logger.js';
import { type CoarseningConfig, coarsenOutputs, parseCoarseningConfig } from '../guards/index.js';
import { guardFailed } from './gateway.errors.js';
import type { InferenceGuard } from './guard-pipeline.js';
import type { GuardPolicy } from './guard-policy.js';
import type { ResponseTensor } from './infer-request.js';

const floatDatatypes: readonly string[] = ['FP16', 'BF16', 'FP32', 'FP64'];

/**
 * Coarsening of a classifier's numeric outputs (extraction resistance): rounding, top-k or labels only, as
 * the deployment's policy says. Outputs with no floating-point tensor are left alone (nothing to coarsen).
 * When the policy names no label output, the outputs that are not floating point (a label, strings) are
 * passed through: they carry no confidences. Settings that do not fit the outputs refuse the answer.
 */
export function createCoarseningGuard(deps: { logger: Logger }): InferenceGuard {
  const configs = new WeakMap<GuardPolicy['coarsening'], CoarseningConfig>();
  const configFor = (section: GuardPolicy['coarsening']) => {
    let config = configs.get(section);
    if (!config) {
      const parsed = parseCoarseningConfig(section.config);
      if (!parsed.ok) {
        deps.logger.error({ problems: parsed.errors }, 'the coarsening settings cannot be used');
        throw guardFailed('coarsening', 'its settings cannot be used');
      }
      config = parsed.config;
      configs.set(section, config);
    }
    return config;
  };

  // The settings with the outputs that are not floating point passed through, made once per settings and
  // set of such outputs (a model answers the same outputs request after request).
  const withOthers = new WeakMap<CoarseningConfig, { others: string; config: CoarseningConfig }>();
  const passingOthers = (
    config: CoarseningConfig,
    outputs: readonly ResponseTensor[],
    isFloat: (o: ResponseTensor) => boolean,
  ) => {
    const names = outputs.filter((o) => !isFloat(o)).map((o) => o.name);
    const others = names.join('\u0000');
    const known = withOthers.get(config);
    if (known?.others === others) return known.config;
    const effective = { ...config, passThrough: [...config.passThrough, ...names] };
    withOthers.set(config, { others, config: effective });
    return effective;
  };

  return {
    name: 'coarsening',
    afterRun(call, _request, outputs) {
      if (!call.policy.coarsening.enabled) return undefined;
      const config = configFor(call.policy.coarsening);
      const isFloat = (o: ResponseTensor) => floatDatatypes.includes(o.datatype);
      if (config.mode === 'off' || !outputs.some(isFloat)) return undefined;
      const effective = config.labels === null ? passingOthers(config, outputs, isFloat) : config;
      const result = coarsenOutputs(outputs, effective);
      if (!result.ok) {
        deps.logger.error(
          { environment: call.environment, model: call.model, error: result.error },
          "the coarsening settings do not fit the model's outputs",
        );
        throw guardFailed('coarsening', result.error);
      }
      return result.outputs as ResponseTensor[];
    },
  };
}
