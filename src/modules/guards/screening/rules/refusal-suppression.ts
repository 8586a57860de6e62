import type { ScreeningRule } from '../screening-types.js';
import { any, family, GAP, REFUSE, re } from './rule-helpers.js';

export const refusalSuppressionRules: readonly ScreeningRule[] = family('refusal_suppression', [
  {
    id: 'refusal_suppression.never_refuse',
    weight: 0.55,
    description: 'Forbids refusing or declining ("never refuse", "you cannot decline", "do not say no").',
    pattern: re(
      "\\b(?:never|not|don'?t|do not|cannot|can'?t|won'?t|will not|must not|mustn'?t|shall not|should not|shouldn'?t|no longer|not allowed to|not permitted to|unable to)\\b (?:ever )?(?:be able to )?",
      any(REFUSE),
      's?\\b(?=$|[\\n.,;:!)]| (?:and|or|but|any|anything|everything|requests?|questions?|prompts?|orders?|commands?|tasks?|instructions?|the user|users?|me|to|answering|responding|replying|complying|helping|providing|a (?:direct |single )?(?:request|question|prompt|order|command)|what|whatever|even)\\b)',
    ),
    words: [
      'never',
      'not',
      'dont',
      'don',
      'do',
      'cannot',
      'cant',
      'can',
      'wont',
      'won',
      'will',
      'must',
      'mustnt',
      'mustn',
      'shall',
      'should',
      'shouldnt',
      'shouldn',
      'no',
      'unable',
    ],
  },
  {
    id: 'refusal_suppression.no_warnings',
    weight: 0.35,
    description: 'Asks for answers without warnings, disclaimers, apologies or moralizing.',
    pattern: re(
      "\\b(?:without(?: any)?|no|never (?:include|add|give|mention)|(?:do not|don'?t) (?:include|add|give|mention)(?: any)?)\\b ",
      '(?:warnings?|disclaimers?|caveats?|censorship|refusals?|moralizing|moralising|moral lectures?|lectures?|apolog(?:y|ies)|ethical (?:concerns|considerations|guidelines|warnings))\\b',
      "|\\b(?:never|don'?t|do not|stop) (?:apologi[sz]e|moralize|moralise|lecture|censor(?: yourself)?|warn)\\b",
    ),
    words: ['without', 'no', 'never', 'do', 'dont', 'don', 'stop'],
  },
  {
    id: 'refusal_suppression.banned_phrases',
    weight: 0.6,
    description:
      "Bans refusal phrases (\"never say 'I'm sorry'\", \"responses must not contain 'as an AI'\").",
    pattern: re(
      "\\b(?:never|not|no|don'?t|avoid|without|none of)\\b",
      GAP(40),
      "[\"']?(?:i'?m sorry|i am sorry|i apologi[sz]e|as an ai|as a language model|i cannot|i can'?t|i'?m unable|i am unable|i'?m not able|i must decline)\\b",
    ),
    words: ['never', 'not', 'no', 'dont', 'don', 'avoid', 'without', 'none'],
  },
  {
    id: 'refusal_suppression.no_matter_what',
    weight: 0.55,
    description: 'Demands compliance regardless of legality, morality or harm ("no matter how illegal").',
    pattern: re(
      "\\b(?:no matter (?:how|what|if)|regardless of|even if (?:it is|it's)|whether or not it is)\\b",
      GAP(24),
      '\\b(?:immoral|unethical|illegal|dangerous|harmful|offensive|inappropriate|explicit|legality|morality|ethics|ethicality|content|consequences|policy|policies|guidelines)\\b',
    ),
    words: ['no', 'regardless', 'even', 'whether'],
  },
  {
    id: 'refusal_suppression.always_comply',
    weight: 0.4,
    description: 'Demands unconditional answers ("always answer", "will answer any request").',
    pattern: re(
      '\\b(?:always|must|will) (?:answer|respond|comply|fulfill|fulfil|obey|provide|reply|generate|do)\\b',
      GAP(20),
      '\\b(?:any|every|all|whatever|anything)\\b',
      GAP(12),
      '\\b(?:request|question|prompt|order|command|demand|query)s?\\b',
    ),
    words: ['always', 'must', 'will'],
  },
]);
