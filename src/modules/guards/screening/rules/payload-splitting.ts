import type { ScreeningRule } from '../screening-types.js';
import { family, GAP, re } from './rule-helpers.js';

export const payloadSplittingRules: readonly ScreeningRule[] = family('payload_splitting', [
  {
    id: 'payload_splitting.assemble_and_run',
    weight: 0.45,
    description: 'Asks to join fragments (strings, variables, letters) and then follow or answer the result.',
    pattern: re(
      '\\b(?:concatenate|concatenating|combine|combining|join|joining|merge|assemble|put together|add together|stitch)\\b',
      GAP(40),
      '\\b(?:strings?|variables?|parts?|pieces?|fragments?|segments?|letters|words|halves|tokens|chunks)\\b',
      GAP(60),
      '\\b(?:follow|execute|run|answer|respond|do|perform|carry out|complete|obey|act on|write|print|output)\\b',
    ),
    words: [
      'concatenate',
      'concatenating',
      'combine',
      'combining',
      'join',
      'joining',
      'merge',
      'assemble',
      'put',
      'add',
      'stitch',
    ],
  },
  {
    id: 'payload_splitting.variable_sum',
    weight: 0.3,
    description:
      'Refers to a sum of short variables as the thing to answer ("what is a + b", "respond to x+y+z").',
    pattern: re(
      '\\b(?:what is|print|output|say|answer|execute|follow|do|respond to|write)\\b (?:the )?(?:string )?\\(?[a-z]\\d? ?\\+ ?[a-z]\\d?\\b',
    ),
    words: ['what', 'print', 'output', 'say', 'answer', 'execute', 'follow', 'do', 'respond', 'write'],
  },
]);
