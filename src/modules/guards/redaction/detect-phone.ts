import { type PhoneRun, phoneShape } from './phone-shapes.js';
import type { Detection } from './redaction.types.js';
import { codeAt, isDigit, labelAfter, labelBefore, wordAt, wordBefore } from './text-scan.js';

// Words that say the next number is a phone number ("number" only as someone's number).
const CUE_BEFORE =
  /\b(phone|phones|ph|tel|telephone|mobile|mob|cell|cellphone|fax|desk|office|call|calls|called|calling|dial|text|sms|whatsapp|signal|contact|reach|reached|answering|hotline|landline|(my|your|his|her|our|their|phone|mobile|cell|contact|home|work)\b[^.\n]{0,12}\b(number|no|#))\b/;
// Labels written after the number, as in address blocks: "… 555-0132 office", "… 8211-Office".
const CUE_AFTER = /^\s*[-–(,/]?\s*(office|mobile|fax|home|work|cell|desk|tel|phone|direct)\b/;
const EXTENSION = /^\s?(?:x|ext\.?|extn\.?|extension|#)\s?(\d{1,6})/i;
// Characters that, written just before a number, make it part of something else (an id, an amount, a path).
const NOT_BEFORE = new Set([...'+#@$€£¥%/\\-_'].map((c) => c.charCodeAt(0)));
// A short code of letters and digits just before ("CH93 0076 …", "A000 0111 …"): an account number's groups.
const CODE_BEFORE = /(?:^|[^A-Za-z0-9])(?=[A-Za-z0-9]{2,6} $)(?=[^ ]*[A-Za-z])(?=[^ ]*\d)[A-Za-z0-9]{2,6} $/;

/** Whether the number at `i` continues something written before it (an id, an amount, a code). */
function continuesBefore(text: string, i: number): boolean {
  if (wordBefore(text, i)) return true;
  const c = codeAt(text, i - 1);
  if (NOT_BEFORE.has(c)) return true;
  // "1,234" or "3.14": a comma or point after a digit; after a word or an escape it is punctuation.
  if ((c === 44 || c === 46) && isDigit(codeAt(text, i - 2))) return true;
  return c === 32 && CODE_BEFORE.test(text.slice(Math.max(0, i - 8), i));
}
const SEPARATORS = new Set([32, 45, 46, 47]); // space - . /

interface Read extends PhoneRun {
  start: number;
  /** End of each group (after its closing parenthesis), as offsets into the text. */
  ends: number[];
}

/** Reads the digit groups from `i` (a `+`, `(` or digit at a word start); null when there are none. */
function readRun(text: string, i: number): Read | null {
  const groups: string[] = [];
  const parens: boolean[] = [];
  const seps: string[] = [];
  const ends: number[] = [];
  const plus = text.charCodeAt(i) === 43;
  let j = plus ? i + 1 : i;
  for (;;) {
    const open = text.charCodeAt(j) === 40;
    let k = open ? j + 1 : j;
    while (isDigit(codeAt(text, k))) k++;
    const digitsFrom = open ? j + 1 : j;
    if (k === digitsFrom || (open && (text.charCodeAt(k) !== 41 || k - digitsFrom > 5))) break;
    groups.push(text.slice(digitsFrom, k));
    parens.push(open);
    j = open ? k + 1 : k;
    ends.push(j);
    // A separator, then another group; or straight into one after a closing parenthesis.
    const c = codeAt(text, j);
    const sepLen = SEPARATORS.has(c) ? 1 : 0;
    const n = codeAt(text, j + sepLen);
    const opensNext = n === 40 && isDigit(codeAt(text, j + sepLen + 1));
    if (!(isDigit(n) || opensNext) || (sepLen === 0 && !open && !opensNext)) break;
    seps.push(sepLen ? (text[j] as string) : '');
    j += sepLen;
  }
  if (groups.length === 0) return null;
  return { start: i, plus, groups, parens, seps: seps.slice(0, groups.length - 1), ends, written: '' };
}

function cued(text: string, start: number, end: number): boolean {
  return CUE_BEFORE.test(labelBefore(text, start, 40)) || CUE_AFTER.test(labelAfter(text, end, 16));
}

/** The end of an extension written right after the number (`x036`, ` ext. 12`), or `end` when none. */
function withExtension(text: string, end: number): number {
  const m = EXTENSION.exec(text.slice(end, end + 16));
  return m && !wordAt(text, end + m[0].length) ? end + m[0].length : end;
}

/**
 * Phone numbers: international (`+…`, `00…`) checked by libphonenumber-js for a possible length; national
 * shapes that only phone numbers have (NANP 3-3-4, an area code in parentheses, a trunk 0); other grouped
 * or plain digit runs only next to a phone word ("Phone:", "call", "… mobile"). Dates, versions, ISBNs and
 * order or ticket numbers (`ORD-2025-…`, `#4305…`) are shapes or neighbours that rule a run out.
 */
export function detectPhones(text: string, out: Detection[]): void {
  const candidates = /[+(]?\d/g; // jumps from one possible start to the next
  let i = 0;
  while (i < text.length) {
    candidates.lastIndex = i;
    const found = candidates.exec(text);
    if (!found) return;
    i = found.index;
    const run = continuesBefore(text, i) ? null : readRun(text, i);
    if (!run) {
      i++;
      continue;
    }
    // Past the run when nothing in it is a number; past the number when one is (the rest is read again).
    let next = run.ends[run.ends.length - 1] as number;
    // Try the whole run, then without its last one or two groups ("call 0412 345 678 2 times").
    for (let keep = run.groups.length; keep >= Math.max(1, run.groups.length - 2); keep--) {
      const end = run.ends[keep - 1] as number;
      const ext = withExtension(text, end);
      const after = codeAt(text, ext);
      if (
        wordAt(text, ext) ||
        ((after === 46 || after === 44 || after === 45) && isDigit(codeAt(text, ext + 1)))
      )
        continue;
      const candidate: PhoneRun = {
        plus: run.plus,
        groups: run.groups.slice(0, keep),
        parens: run.parens.slice(0, keep),
        seps: run.seps.slice(0, keep - 1),
        written: text.slice(i, end),
      };
      const shape = phoneShape(candidate);
      if (shape === 'strong' || (shape === 'weak' && cued(text, i, ext))) {
        out.push({ type: 'PHONE', start: i, end: ext, detector: `phone-${shape}` });
        next = ext;
        break;
      }
    }
    i = next;
  }
}
