import { invalidChatRequest } from './gateway.errors.js';
import type { ChatMessage } from './guard-pipeline.js';

/** A chat-completions body as the gateway takes it: the deployment's name, the messages, checked options. */
export interface ParsedChat {
  model: string;
  messages: ChatMessage[];
  options: Record<string, unknown>;
}

/** Most messages one chat request may carry (a conversation longer than this is a loop, not a chat). */
export const maxChatMessages = 1000;

export const chatRoles = ['system', 'developer', 'user', 'assistant'] as const;

const fail = (reason: string) => invalidChatRequest(reason);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;

const number = (min: number, max: number) => (name: string, v: unknown) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    throw fail(`"${name}" must be a number from ${min} to ${max}`);
};
const integer = (min: number, max: number) => (name: string, v: unknown) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw fail(`"${name}" must be an integer from ${min} to ${max}`);
};
const stop = (name: string, v: unknown) => {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.length > 4)
    throw fail(`"${name}" must be a string or an array of 1 to 4 strings`);
  for (const s of list)
    if (typeof s !== 'string' || s.length === 0 || s.length > 256)
      throw fail(`"${name}" must hold strings of 1 to 256 characters`);
};
const user = (name: string, v: unknown) => {
  if (typeof v !== 'string' || v.length > 256)
    throw fail(`"${name}" must be a string of at most 256 characters`);
};

/** The options forwarded to the upstream, each with its check; anything else is refused by name. */
const optionChecks: Record<string, (name: string, v: unknown) => void> = {
  temperature: number(0, 2),
  top_p: number(0, 1),
  presence_penalty: number(-2, 2),
  frequency_penalty: number(-2, 2),
  max_tokens: integer(1, 1_000_000),
  max_completion_tokens: integer(1, 1_000_000),
  seed: integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  stop,
  user,
};

/** Fields an OpenAI client may send that the gateway does not carry yet: refused with their reason. */
const unsupported: Record<string, string> = {
  tools: 'tool calls are not supported',
  tool_choice: 'tool calls are not supported',
  functions: 'function calls are not supported',
  function_call: 'function calls are not supported',
  logprobs: 'log probabilities are not supported',
  top_logprobs: 'log probabilities are not supported',
  response_format: 'response formats are not supported',
  logit_bias: 'logit bias is not supported',
  stream_options: 'streaming is not supported yet',
};

/**
 * Checks a chat-completions body strictly: `model` and `messages` (role and string content each, bounded in
 * count and length), `stream` false if given, `n` 1 if given, and only the sampling options the gateway
 * knows. Every refusal names the field and what is wrong.
 */
export function parseChatRequest(body: unknown, limits: { maxStringLength: number }): ParsedChat {
  if (!isObject(body)) throw fail('the request body must be a JSON object');
  const { model, messages } = body;
  if (model === undefined) throw fail('missing field "model"');
  if (typeof model !== 'string' || model.length === 0)
    throw fail(`"model" must be a non-empty string, got ${typeName(model)}`);
  if (body.stream !== undefined && body.stream !== false) {
    if (body.stream === true)
      throw fail('streaming is not supported yet; send "stream": false or leave it out');
    throw fail(`"stream" must be a boolean, got ${typeName(body.stream)}`);
  }
  if (body.n !== undefined && body.n !== 1) throw fail('"n" must be 1: one choice per request');
  if (messages === undefined) throw fail('missing field "messages"');
  if (!Array.isArray(messages) || messages.length === 0)
    throw fail('"messages" must be a non-empty array of {role, content}');
  if (messages.length > maxChatMessages)
    throw fail(`"messages" has ${messages.length} entries; at most ${maxChatMessages} are allowed`);
  const parsed: ChatMessage[] = messages.map((raw: unknown, i: number) => {
    const where = `messages[${i}]`;
    if (!isObject(raw)) throw fail(`${where} must be an object, got ${typeName(raw)}`);
    for (const key of Object.keys(raw))
      if (key !== 'role' && key !== 'content')
        throw fail(
          `${where}: field ${JSON.stringify(key.slice(0, 40))} is not supported (only role and content)`,
        );
    const { role, content } = raw;
    if (typeof role !== 'string' || !(chatRoles as readonly string[]).includes(role))
      throw fail(`${where}: "role" must be one of ${chatRoles.join(', ')}`);
    if (typeof content !== 'string')
      throw fail(
        `${where}: "content" must be a string, got ${typeName(content)} (content parts are not supported)`,
      );
    if (content.length > limits.maxStringLength)
      throw fail(
        `${where}: "content" has ${content.length} characters; at most ${limits.maxStringLength} are allowed`,
      );
    return { role, content };
  });
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'model' || key === 'messages' || key === 'stream' || key === 'n') continue;
    const reason = unsupported[key];
    if (reason) throw fail(`"${key}": ${reason}`);
    const check = optionChecks[key];
    if (!check) throw fail(`unknown field ${JSON.stringify(key.slice(0, 40))}`);
    if (value === null) continue;
    check(key, value);
    options[key] = value;
  }
  return { model, messages: parsed, options };
}
