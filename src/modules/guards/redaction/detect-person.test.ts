import { describe, expect, it } from 'vitest';
import { detectNameHeadings, detectPersons } from './detect-person.js';
import type { Detection } from './redaction.types.js';

const persons = (text: string) => {
  const out: Detection[] = [];
  detectPersons(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('detectPersons (names after a cue)', () => {
  it.each([
    ['a title', 'Summary: the user Miss Elizabeth Shaw reported it', 'Elizabeth Shaw'],
    ['an abbreviated title in lower case', 'join accounts with ms. Elizabeth', 'Elizabeth'],
    ['a greeting', 'Dear Aaron Hays,\nplease transfer', 'Aaron Hays'],
    ['a short greeting', "Hi Freddy, I'm contacting you", 'Freddy'],
    ['a signature', 'Sincerely,\nAnna Müller', 'Anna Müller'],
    ['"my name is"', 'My name is José García.', 'José García'],
    ['a label', 'Name: Chise T. Horiguchi\nPhone: 0378', 'Chise T. Horiguchi'],
    ['a label after a written-out line break', 'Date: 1992\\nName: Adam Flores\\nPhone', 'Adam Flores'],
    ['an account holder', '(account holder: Lori Mcdonald).', 'Lori Mcdonald'],
    ['a role with a full name', 'Contact Emily Wood at the office', 'Emily Wood'],
    ['a possessive before personal data', "the form, Mark Johnson's Social Security number", 'Mark Johnson'],
    ['an apostrophe in the name', "Patient: John O'Connor", "John O'Connor"],
  ])('finds %s', (_what, text, name) => expect(persons(text)).toContain(name));

  it.each([
    ['a generic greeting', 'Dear Customer, thank you.'],
    ['a greeting to a team', 'Hi there, here is the summary.'],
    ['a transcript speaker', 'User: What is the capital of France?'],
    ['a role with one capitalised word', 'Contact Support for help.'],
    ['"miss" as a verb', 'You will miss Paris.'],
    ['a possessive without personal data', "Google Cloud's pricing page"],
    ['capitalised words with no cue', 'Machine Learning Engineering is fun.'],
  ])('leaves %s alone', (_what, text) => expect(persons(text)).toEqual([]));
});

describe('detectNameHeadings (contact cards)', () => {
  const headings = (text: string, anchors: number[]) => {
    const out: Detection[] = [];
    detectNameHeadings(text, out, anchors);
    return out.map((d) => text.slice(d.start, d.end));
  };

  it('takes a name line followed by a finding', () => {
    expect(headings('Landerico B Hidalgo\n\nPhone: 0487', [27])).toEqual(['Landerico B Hidalgo']);
    const card = 'Erin Cline\\norganization\\n303 Katie Vista\\nMobile: +44 20 7946 7344';
    expect(headings(card, [card.indexOf('+44')])).toEqual(['Erin Cline']);
  });

  it('leaves a capitalised line with nothing personal after it', () => {
    expect(headings('Release Notes\nThe build is green.', [])).toEqual([]);
    expect(headings(`Release Notes\n${'x'.repeat(500)} +44 20 7946 7344`, [519])).toEqual([]);
  });
});
