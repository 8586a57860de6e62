import type { ScreeningRule } from '../screening-types.js';
import { family, GAP, re } from './rule-helpers.js';

export const exfiltrationRules: readonly ScreeningRule[] = family('exfiltration', [
  {
    id: 'exfiltration.send_data',
    weight: 0.45,
    untrustedWeight: 0.75,
    description: 'Sends credentials, conversation or personal data to an address or URL.',
    pattern: re(
      '\\b(?:send|forward|email|e-mail|mail|post|upload|transmit|exfiltrate|leak|copy|submit|deliver)\\b',
      GAP(40),
      "\\b(?:passwords?|credentials?|api keys?|secret keys?|secrets|tokens?|cookies?|session|chat history|conversation(?: history)?|emails?|inbox|contacts|contact ?lists?|address ?book|personal (?:data|information|info|details)|private (?:data|information|keys?)|user(?:'s)? data|files|documents|messages|ssn|credit card(?: numbers?)?)\\b",
      GAP(40),
      '\\bto\\b ',
      '(?:https?:|www\\.|[a-z0-9._-]+@[a-z0-9-]+\\.|the (?:following|attacker|address|url|email|server|endpoint|webhook)|this (?:address|url|email|server|endpoint|link|webhook))',
    ),
    words: [
      'send',
      'forward',
      'email',
      'e',
      'mail',
      'post',
      'upload',
      'transmit',
      'exfiltrate',
      'leak',
      'copy',
      'submit',
      'deliver',
    ],
  },
  {
    id: 'exfiltration.markdown_beacon',
    weight: 0.6,
    description:
      'A markdown image or link whose URL is to carry data ("![x](https://host/?q={conversation})").',
    pattern: re(
      '!\\[[^\\]\\n]{0,60}\\]\\(https?://[^)\\s]{1,200}[?&][a-z0-9_]{1,24}=(?:\\{|\\$|%7b|\\[|<)',
      '|\\b(?:append|add|include|put|encode)\\b',
      GAP(40),
      '\\b(?:conversation|chat|history|data|summary|secret|password|answer|response|information)\\b',
      GAP(30),
      '\\b(?:to|in|into)\\b (?:the |this |an? )?(?:url|link|image (?:url|link|source)|query (?:string|parameter))\\b',
    ),
    words: ['append', 'add', 'include', 'put', 'encode'],
    substrings: ['!['],
  },
  {
    id: 'exfiltration.license_keys',
    weight: 0.3,
    description:
      'Product, activation, licence or serial keys (the "grandmother reads me keys" family): weak alone.',
    pattern: re(
      '\\b(?:windows|office|product|activation|license|licence|serial|cd|steam) (?:keys?|codes?)\\b',
    ),
    words: ['windows', 'office', 'product', 'activation', 'license', 'licence', 'serial', 'cd', 'steam'],
  },
  {
    id: 'exfiltration.credentials_request',
    weight: 0.5,
    description: 'Asks for passwords, keys or credentials held in the system, its database or memory.',
    pattern: re(
      '\\b(?:passwords?|credentials|api keys?|secret keys?|access tokens?|private keys?|usernames? and passwords?|login (?:details|credentials)|ssh keys?)\\b',
      GAP(16),
      "\\b(?:in|from|stored in|of|inside) (?:your|its|the system's) (?:database|system|memory|training data|config|configuration|server|environment|context|files?|backend|prompt|vault)\\b",
    ),
    words: [
      'password',
      'passwords',
      'credentials',
      'api',
      'secret',
      'access',
      'private',
      'username',
      'usernames',
      'login',
      'ssh',
    ],
  },
]);
