import type { CallContext } from '../../platform/call-context.js';
import type { Logger } from '../../platform/logger.js';
import { parseChatRequest } from './chat-request.js';
import { inferenceFailed, modelNotReady, wrongModelKind } from './gateway.errors.js';
import {
  type GuardCall,
  type GuardPipeline,
  runAdmit,
  runAfterChat,
  runBeforeChat,
} from './guard-pipeline.js';
import type { GuardPolicySource } from './guard-policy.js';
import type { ChatAnswer } from './runtime.port.js';
import type { Slot } from './serving-table.js';
import { answerUpstreamFailure } from './upstream-failure.js';

/** An OpenAI-style chat completion, as the gateway answers it (one choice, non-streaming). */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string }; finish_reason: string | null }[];
  usage?: ChatAnswer['usage'];
}

export interface ChatDeps {
  environment: string;
  guards: GuardPipeline;
  policies: GuardPolicySource;
  logger: Logger;
  /** Authorizes the call on the deployment and picks the slot that answers (canary split, sticky). */
  route(ctx: CallContext, name: string): Promise<Slot>;
  label(model: string, slot: { version: number; digest: string }): Record<string, unknown>;
  digestHeader: string;
}

/**
 * Chat completions on a deployed chat model (an OpenAI-style upstream): authorized and routed like /v2,
 * admitted by the guards before the body is read, the messages through `beforeChat`, the answer through
 * `afterChat`, and the caller gets the guarded answer under the deployment's name (never the upstream's).
 */
export function createChat(deps: ChatDeps) {
  const { environment, guards, policies, logger, label } = deps;
  return async function chat(
    ctx: CallContext,
    body: unknown,
    headers: Map<string, string> = new Map(),
  ): Promise<{ digest: string; body: ChatCompletion }> {
    // The model is named in the body: only the name is read before authorization, the rest after.
    const name =
      typeof body === 'object' && body !== null && typeof (body as { model?: unknown }).model === 'string'
        ? (body as { model: string }).model
        : null;
    if (name === null) parseChatRequest(body, { maxStringLength: 0 });
    const slot = await deps.route(ctx, name as string);
    const lease = slot.lease;
    if (!lease?.acquire()) throw modelNotReady(name as string);
    headers.set(deps.digestHeader, slot.digest);
    try {
      const { session } = lease;
      const model = name as string;
      if (!session.chat) throw wrongModelKind(model, 'chat');
      const call: GuardCall = {
        ctx,
        environment,
        model,
        version: slot.version,
        digest: slot.digest,
        policy: policies.policyFor(model),
        headers,
      };
      await runAdmit(guards, call);
      const parsed = parseChatRequest(body, { maxStringLength: call.policy.validation.maxStringLength });
      const messages = await runBeforeChat(guards, call, parsed.messages);
      let answer: ChatAnswer;
      try {
        answer = await session.chat({ messages, options: parsed.options });
      } catch (err) {
        const mapped = answerUpstreamFailure(err, model, headers);
        logger.error(
          {
            err: mapped ? { reason: (err as Error).message } : err,
            ...label(model, slot),
            requestId: ctx.requestId,
          },
          'chat completion failed',
        );
        throw mapped ?? inferenceFailed();
      }
      const content = await runAfterChat(guards, call, messages, answer.content);
      return {
        digest: slot.digest,
        body: {
          id: answer.id ?? `chatcmpl-${ctx.requestId ?? ''}`,
          object: 'chat.completion',
          created: answer.created ?? Math.floor(Date.now() / 1000),
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content }, finish_reason: answer.finishReason },
          ],
          ...(answer.usage ? { usage: answer.usage } : {}),
        },
      };
    } finally {
      lease.release();
    }
  };
}
