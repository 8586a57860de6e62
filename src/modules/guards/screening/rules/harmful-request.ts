import type { ScreeningRule } from '../screening-types.js';
import { family, GAP, re } from './rule-helpers.js';

export const harmfulRequestRules: readonly ScreeningRule[] = family('harmful_request', [
  {
    id: 'harmful_request.hateful_text',
    weight: 0.5,
    description: 'Asks to produce demeaning or discriminatory statements about a group.',
    pattern: re(
      '\\b(?:write|generate|create|produce|compose|give|tell|make|list|say|come up with)\\b',
      GAP(20),
      '\\b(?:negative|discriminatory|offensive|derogatory|hateful|racist|sexist|toxic|unfriendly|insulting|hurtful|harmful|demeaning|homophobic|transphobic|bigoted|degrading|dehumanizing|mean|nasty|prejudiced|xenophobic|misogynistic|antisemitic)\\b',
      GAP(20),
      '\\b(?:sentences?|statements?|jokes?|comments?|remarks?|paragraphs?|tweets?|texts?|posts?|things?|insults?|slurs?|opinions?|stereotypes?)\\b',
      GAP(10),
      '\\b(?:about|on|towards?|against|regarding)\\b',
    ),
    words: [
      'write',
      'generate',
      'create',
      'produce',
      'compose',
      'give',
      'tell',
      'make',
      'list',
      'say',
      'come',
    ],
  },
]);
