import type { CallContext } from '../../platform/call-context.js';
import type { GuardPolicy } from './guard-policy.js';
import type { InferRequest, ResponseTensor } from './infer-request.js';

/** Who asked which deployed model: what every guard sees of a call. */
export interface GuardCall {
  ctx: CallContext;
  environment: string;
  model: string;
  /** The team that owns the model (what an audit entry about the deployment is filed under). */
  owner: string;
  version: number;
  digest: string;
  /** The deployment's guard policy, as it was when the call started. */
  policy: GuardPolicy;
  /**
   * Response headers a guard sets (rate-limit state, say): the transport sends them with the answer,
   * success or refusal.
   */
  headers: Map<string, string>;
}

/** One message of an OpenAI-style chat-completions request. */
export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * A check on the inference path. Hooks, each optional, run in list order:
 * - `admit` before the body is validated (rate limits: a refused request costs no parsing);
 * - `beforeRun` sees the validated V2 request before the model runs and may refuse it (throw an AppError)
 *   or return a replacement; `afterRun` sees the encoded outputs and may refuse or replace them;
 * - `beforeChat` / `afterChat` are the same for a chat-completions call: the messages, then the answer.
 */
export interface InferenceGuard {
  readonly name: string;
  admit?(call: GuardCall): Promise<void> | void;
  beforeRun?(
    call: GuardCall,
    request: InferRequest,
  ): Promise<InferRequest | undefined> | InferRequest | undefined;
  afterRun?(
    call: GuardCall,
    request: InferRequest,
    outputs: ResponseTensor[],
  ): Promise<ResponseTensor[] | undefined> | ResponseTensor[] | undefined;
  beforeChat?(
    call: GuardCall,
    messages: readonly ChatMessage[],
  ): Promise<ChatMessage[] | undefined> | ChatMessage[] | undefined;
  afterChat?(
    call: GuardCall,
    messages: readonly ChatMessage[],
    answer: string,
  ): Promise<string | undefined> | string | undefined;
}

export type GuardPipeline = readonly InferenceGuard[];

// A hook that answers synchronously is not awaited: an await of a plain value still costs a turn of the
// microtask queue, several per request on the inference hot path. Order and errors are the same.
const isThenable = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | undefined)?.then === 'function';

export async function runAdmit(guards: GuardPipeline, call: GuardCall) {
  for (const guard of guards) {
    if (!guard.admit) continue;
    const done = guard.admit(call);
    if (isThenable(done)) await done;
  }
}

export async function runBefore(guards: GuardPipeline, call: GuardCall, request: InferRequest) {
  let current = request;
  for (const guard of guards) {
    if (!guard.beforeRun) continue;
    const next = guard.beforeRun(call, current);
    current = (isThenable(next) ? await next : next) ?? current;
  }
  return current;
}

export async function runAfter(
  guards: GuardPipeline,
  call: GuardCall,
  request: InferRequest,
  outputs: ResponseTensor[],
) {
  let current = outputs;
  for (const guard of guards) {
    if (!guard.afterRun) continue;
    const next = guard.afterRun(call, request, current);
    current = (isThenable(next) ? await next : next) ?? current;
  }
  return current;
}

export async function runBeforeChat(guards: GuardPipeline, call: GuardCall, messages: ChatMessage[]) {
  let current = messages;
  for (const guard of guards)
    if (guard.beforeChat) current = (await guard.beforeChat(call, current)) ?? current;
  return current;
}

export async function runAfterChat(
  guards: GuardPipeline,
  call: GuardCall,
  messages: readonly ChatMessage[],
  answer: string,
) {
  let current = answer;
  for (const guard of guards)
    if (guard.afterChat) current = (await guard.afterChat(call, messages, current)) ?? current;
  return current;
}
