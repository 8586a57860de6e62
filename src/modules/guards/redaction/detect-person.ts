import type { Detection } from './redaction.types.js';

/*
 * People's names without a model: only a capitalised name right after words that introduce one (a title,
 * a greeting, a "Name:" label, "my name is", "contact … at", "…'s SSN"). A name with no such cue — in a
 * list, a signature block without a greeting, running prose — is not found; precision over recall.
 */

// A capitalised word ("Björklund", "McDonald", "O'Brien", "Jean-Luc") or an initial ("T.", or "B" before
// another name word).
const NAME = String.raw`\p{Lu}(?:\.|(?:['’]\p{Lu})?\p{L}{0,30}\p{Ll}(?:-\p{Lu}\p{L}{0,30}\p{Ll})?|(?= \p{Lu}\p{Ll}))(?![\p{L}\p{N}])`;
const NAME_WORD = new RegExp(NAME, 'uy');

// A word start, also right after an escape written out (`\nName:` in JSON-encoded text), which the match
// then takes in (a look-behind here would cost ten times more).
const W = String.raw`(?:\\[nrt]|\b)`;

// Titles: abbreviations with a full stop in any case ("ms. Elizabeth"); whole words only capitalised
// ("Miss Shaw", not "you will miss Paris").
const TITLE = String.raw`${W}(?:(?:[Mm](?:r|rs|s|x)|[Dd]r|[Pp]rof|[Ss]r|[Ss]ra)\.|(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madam|Mme|Mlle|Herr|Frau)(?= )) `;
const GREETING = String.raw`${W}(?:[Dd]ear|[Hh]i|[Hh]ello|[Hh]ey|[Gg]reetings|[Rr]egards|[Ss]incerely|[Tt]hanks|[Cc]heers)\b,?(?:[ \t]{1,3}|[ \t]*(?:\r?\n|\\n)[ \t]*)`;
const NAME_IS = `${W}(?:my name is|his name is|her name is|their name is|name's|named|called) `;
// Labels that introduce a name (not "User:" or "Customer:", which start lines of a transcript).
const LABEL = String.raw`${W}(?:name|full name|first name|last name|given name|surname|patient|patient name|customer name|client name|employee name|account holder|account name|cardholder|card holder|beneficiary|recipient|attn|attention|signed|customer record|patient record)\s?:[ \t]*(?:\r?\n|\\n)?[ \t]*`;
const ROLE = `${W}(?:contact|the user|customer|patient|employee|colleague|applicant|client) `;

const CUES: readonly { pattern: RegExp; minWords: number; detector: string }[] = [
  { pattern: new RegExp(TITLE, 'g'), minWords: 1, detector: 'person-title' },
  { pattern: new RegExp(GREETING, 'g'), minWords: 1, detector: 'person-greeting' },
  { pattern: new RegExp(NAME_IS, 'gi'), minWords: 1, detector: 'person-name-is' },
  { pattern: new RegExp(LABEL, 'gi'), minWords: 1, detector: 'person-label' },
  { pattern: new RegExp(ROLE, 'gi'), minWords: 2, detector: 'person-role' },
];

// "Mark Johnson's Social Security number", "Ana Silva's card".
// Two or three name words ending where the possessive starts (tried only where a personal noun follows).
const NAME_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])${NAME}(?: {1,2}${NAME}){1,2}$`, 'u');
const POSSESSIVE = /['’]s /g;
const PERSONAL_NOUN =
  /^['’]s (?:social security|ssn|phone|mobile|e-?mail|address|card|credit card|account|iban|passport|date of birth|birthday|medical|salary|record)\b/i;

// Capitalised words that follow the same cues without being names.
const NOT_NAMES = new Set(
  (
    'The A An All Everyone Everybody Team Teams Support There Sir Madam Customer Customers Client User Users ' +
    'Friend Friends Folks Guys Colleagues Hiring Manager Admin Administrator World Again Regards Thanks ' +
    'Please Your My Our His Her Their This That These Those It I We You They Social Security Phone Email ' +
    'Card Account Number Name Address Street Service Services Company Bank Monday Tuesday Wednesday ' +
    'Thursday Friday Saturday Sunday January February March April May June July August September October ' +
    'November December Yes No Ok Okay Note Warning Error Unknown None Null True False Not Available Subject ' +
    'What When Where Who Why How Can Could Would Should Will Shall Do Does Did Is Are Was Were Have Has Here ' +
    'Sure Of Course Hope Welcome Good Morning Afternoon Evening Day Night Happy Sorry Kind Best Dear Mr Mrs Ms Mx Dr Prof Miss Sir Madam ' +
    'As So And But Or If In On At To For With From By Just Also Now Then Still Well Oh Chat Assistant Bot Model ' +
    'ChatGPT Claude Gemini Copilot Notice Billing Invoice Receipt Report Summary Update Newsletter Alert ' +
    'Reminder Confirmation Order Payment Statement Department Center Office Board Committee Project'
  ).split(' '),
);

/** Up to three name words from `from` (one or two spaces apart); the span ends after the last full word. */
function readName(text: string, from: number, minWords: number): { start: number; end: number } | null {
  let pos = from;
  let end = -1;
  let full = 0;
  for (let w = 0; w < 3; w++) {
    let p = pos;
    if (w > 0) {
      while (p < text.length && p - pos < 2 && text.charCodeAt(p) === 32) p++;
      if (p === pos) break;
    }
    NAME_WORD.lastIndex = p;
    const m = NAME_WORD.exec(text);
    if (!m || NOT_NAMES.has(m[0].replace(/\.$/, ''))) break;
    pos = p + m[0].length;
    if (!m[0].endsWith('.') && m[0].length > 1) {
      full++;
      end = pos;
    }
  }
  return full >= minWords && end > from ? { start: from, end } : null;
}

export function detectPersons(text: string, out: Detection[]): void {
  for (const { pattern, minWords, detector } of CUES) {
    for (const m of text.matchAll(pattern)) {
      const name = readName(text, m.index + m[0].length, minWords);
      if (name) out.push({ type: 'PERSON', ...name, detector });
    }
  }
  for (const m of text.matchAll(POSSESSIVE)) {
    if (!PERSONAL_NOUN.test(text.slice(m.index, m.index + 26))) continue;
    const before = text.slice(Math.max(0, m.index - 100), m.index);
    const written = NAME_BEFORE.exec(before);
    if (!written) continue;
    const name = readName(text, m.index - before.length + written.index, 2);
    if (name) out.push({ type: 'PERSON', ...name, detector: 'person-possessive' });
  }
}

// A line that is only a name ("Erin Cline", "Landerico B Hidalgo"), as contact cards and signatures begin.
const NAME_LINE = new RegExp(
  String.raw`(?:^|\n|\\n)[ \t]*(${NAME}(?: {1,2}${NAME}){1,2})[ \t]*(?=\r?\n|\\n|$)`,
  'gu',
);
const CARD_REACH = 400;

/**
 * Names heading a contact card: a line holding only two or three name words, followed within a few lines by
 * a phone number, an e-mail address or another finding (`anchors`, sorted by start). A line of capitalised
 * words with nothing personal after it (a title, a heading) is left alone.
 */
export function detectNameHeadings(text: string, out: Detection[], anchorStarts: readonly number[]): void {
  if (anchorStarts.length === 0) return;
  for (const m of text.matchAll(NAME_LINE)) {
    const written = m[1] as string;
    const from = m.index + m[0].indexOf(written);
    const name = readName(text, from, 2);
    if (!name || name.end !== from + written.length) continue;
    // The first finding after the line, by binary search.
    let lo = 0;
    let hi = anchorStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((anchorStarts[mid] as number) < name.end) lo = mid + 1;
      else hi = mid;
    }
    const next = anchorStarts[lo];
    if (next !== undefined && next - name.end <= CARD_REACH)
      out.push({ type: 'PERSON', ...name, detector: 'person-card' });
  }
}
