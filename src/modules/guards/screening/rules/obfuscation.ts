import type { ScreeningRule } from '../screening-types.js';
import { family, GAP, re } from './rule-helpers.js';

export const obfuscationRules: readonly ScreeningRule[] = family('obfuscation', [
  {
    id: 'obfuscation.decode_and_follow',
    weight: 0.5,
    description: 'Asks to decode (base64, hex, rot13, cipher, reversed text) and act on the result.',
    pattern: re(
      '\\b(?:decode|decrypt|decipher|translate|convert|reverse|unscramble|read)\\b',
      GAP(40),
      '\\b(?:base ?64|hex(?:adecimal)?|rot ?13|binary|morse|caesar|cipher|leetspeak|backwards|reversed|encoded|encrypted)\\b',
      GAP(60),
      '\\b(?:follow|execute|do what it says|act on|obey|carry out|perform|answer|respond|comply)\\b',
    ),
    words: ['decode', 'decrypt', 'decipher', 'translate', 'convert', 'reverse', 'unscramble', 'read'],
  },
  {
    id: 'obfuscation.evade_filter',
    weight: 0.5,
    description:
      'Says the aim is to get past a filter ("so the filter does not catch it", "to bypass moderation").',
    pattern: re(
      "\\b(?:(?:so|so that|to make sure|such that) (?:the |your |any |a )?(?:filters?|moderation|moderators?|guardrails?|censors?|detectors?|classifiers?|safety systems?) (?:does ?n[o']?t|do ?n[o']?t|won'?t|can'?t|cannot|will not|would not|wouldn'?t) (?:catch|detect|notice|flag|block|see|trigger)",
      '|(?:to |and )?(?:avoid|evade|dodge|get past|slip past|sneak past|trick|fool) (?:the |your |any |a )?(?:content )?(?:filters?|moderation|detection|detectors?|classifiers?|guardrails?|censorship|safety (?:filters?|systems?|checks?)))\\b',
    ),
    words: ['so', 'to', 'such', 'and', 'avoid', 'evade', 'dodge', 'get', 'slip', 'sneak', 'trick', 'fool'],
  },
  {
    id: 'obfuscation.encoded_reply',
    weight: 0.25,
    untrustedWeight: 0.5,
    description:
      'Asks that the reply itself be encoded or ciphered (hides the output from reviewers and filters).',
    pattern: re(
      '\\b(?:reply|respond|answer|write|output)\\b',
      GAP(30),
      '\\b(?:in|using|with|as) (?:an? )?(?:caesar|rot ?13|base ?64|cipher|morse|leetspeak|hex|binary|pig latin|reversed|backwards)\\b',
      '|\\b(?:use|using|apply) (?:an? )?(?:caesar|rot ?13|base ?64|substitution) (?:cipher|encoding|shift)?\\b',
      GAP(40),
      '\\b(?:reply|response|answer|output)\\b',
    ),
    words: ['reply', 'respond', 'answer', 'write', 'output', 'use', 'using', 'apply'],
  },
]);
