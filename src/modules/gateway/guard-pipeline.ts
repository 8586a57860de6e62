import type { CallContext } from '../../platform/call-context.js';
import type { InferRequest, ResponseTensor } from './infer-request.js';

/** Who asked which deployed model: what every guard sees of a call. */
export interface GuardCall {
  ctx: CallContext;
  environment: string;
  model: string;
  version: number;
  digest: string;
}

/**
 * A check on the inference path (text screening, redaction, extraction watch plug in here). `beforeRun`
 * sees the validated request and may refuse it (throw an AppError) or return a replacement; `afterRun`
 * sees the encoded outputs and may refuse them or return replacements. Guards run in list order.
 */
export interface InferenceGuard {
  readonly name: string;
  beforeRun?(
    call: GuardCall,
    request: InferRequest,
  ): Promise<InferRequest | undefined> | InferRequest | undefined;
  afterRun?(
    call: GuardCall,
    request: InferRequest,
    outputs: ResponseTensor[],
  ): Promise<ResponseTensor[] | undefined> | ResponseTensor[] | undefined;
}

export type GuardPipeline = readonly InferenceGuard[];

export async function runBefore(guards: GuardPipeline, call: GuardCall, request: InferRequest) {
  let current = request;
  for (const guard of guards)
    if (guard.beforeRun) current = (await guard.beforeRun(call, current)) ?? current;
  return current;
}

export async function runAfter(
  guards: GuardPipeline,
  call: GuardCall,
  request: InferRequest,
  outputs: ResponseTensor[],
) {
  let current = outputs;
  for (const guard of guards)
    if (guard.afterRun) current = (await guard.afterRun(call, request, current)) ?? current;
  return current;
}
