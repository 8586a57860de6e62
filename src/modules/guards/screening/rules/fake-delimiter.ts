import type { ScreeningRule } from '../screening-types.js';
import { family, re } from './rule-helpers.js';

export const fakeDelimiterRules: readonly ScreeningRule[] = family('fake_delimiter', [
  {
    id: 'fake_delimiter.chat_template_turn',
    weight: 0.75,
    untrustedWeight: 0.85,
    description:
      'A forged chat-template turn: <|im_start|>system, [INST] <<SYS>>, <|start_header_id|>system, <start_of_turn>model.',
    pattern: re(
      '<\\|(?:im_start|start_header_id)\\|> ?(?:system|assistant|developer)\\b|\\[inst\\] ?<<sys>>|<</sys>> ?\\S',
      '|<\\|(?:system|assistant)\\|> ?\\n? ?[a-z]|<start_of_turn> ?(?:model|system)\\b|<\\|eot_id\\|> ?<\\|start_header_id\\|>',
    ),
    substrings: [
      '<|im_start|>',
      '<|start_header_id|>',
      '[inst]',
      '<</sys>>',
      '<|system|>',
      '<|assistant|>',
      '<start_of_turn>',
      '<|eot_id|>',
    ],
  },
  {
    id: 'fake_delimiter.chat_template',
    weight: 0.4,
    untrustedWeight: 0.75,
    description:
      'Chat-template control tokens in the text: <|im_start|>, [INST], <<SYS>>, <|system|>, <|endoftext|>.',
    pattern: re(
      '<\\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text)\\|>',
      '|\\[/?inst\\]|<</?sys>>|</?start_of_turn>|</?end_of_turn>|</?(?:system|system_prompt|sys_prompt)>',
    ),
    substrings: [
      '<|',
      '[inst]',
      '[/inst]',
      '<<sys>>',
      '<</sys>>',
      '<start_of_turn>',
      '</start_of_turn>',
      '<end_of_turn>',
      '</end_of_turn>',
      '<system',
      '</system',
      '<sys_prompt',
      '</sys_prompt',
    ],
  },
  {
    id: 'fake_delimiter.role_label',
    weight: 0.45,
    untrustedWeight: 0.7,
    description:
      'A fake system / admin turn inside the text ("\\nSystem: …", "[system message]", "### Instruction:").',
    pattern: re(
      '(?<=(?:^|\\n) ?(?:#{1,4} ?)?)(?:system|sys|admin|administrator|developer|root|openai|anthropic)(?: (?:message|prompt|note|notice|override|instructions?|update|alert))? ?: ?\\S',
      '|(?<=\\[)(?:system|admin|developer)(?: (?:message|note|notice|override|instructions?|prompt))? ?[\\]:]',
      '|(?<=(?:^|\\n)#{2,4} ?)(?:instruction|system|new instructions?|response)s? ?:?(?:\\n|$)',
      '|\\b(?:system|admin|developer|sudo) (?:override|command|access granted)\\b',
    ),
    words: [
      'system',
      'sys',
      'admin',
      'administrator',
      'developer',
      'root',
      'openai',
      'anthropic',
      'instruction',
      'instructions',
      'new',
      'response',
      'responses',
      'sudo',
    ],
  },
  {
    id: 'fake_delimiter.fake_turns',
    weight: 0.35,
    untrustedWeight: 0.6,
    description: 'A forged transcript: "assistant:" / "user:" turns written into one message.',
    pattern: re(
      '(?<=(?:^|\\n) ?)(?:assistant|ai|gpt|chatgpt|model) ?: ?[^\\n]{0,400}?\\n ?(?:user|human|you) ?: ?\\S',
    ),
    words: ['assistant', 'ai', 'gpt', 'chatgpt', 'model'],
  },
  {
    id: 'fake_delimiter.end_of_context',
    weight: 0.45,
    untrustedWeight: 0.65,
    description:
      'Claims the document, session or prompt has ended ("<end of session>", "--- END OF EMAIL ---").',
    pattern: re(
      '(?<=[<\\[#*=(%|-] ?)(?:end of|end|new) (?:the )?(?:session|conversation|document|context|prompt|input|text|email|data|file|instructions|user input|system prompt|system message|chat)\\b ?[>\\]#*=)-]',
      '|\\b(?:document|email|context|user input|conversation|session) (?:has )?(?:ended|is over|ends here)\\b',
    ),
    words: ['end', 'new', 'the', 'document', 'email', 'context', 'user', 'conversation', 'session'],
  },
]);
