import { describe, expect, it } from 'vitest';
import { detectPhones } from './detect-phone.js';
import type { Detection } from './redaction.types.js';

const phones = (text: string) => {
  const out: Detection[] = [];
  detectPhones(text, out);
  return out.map((d) => text.slice(d.start, d.end));
};

describe('detectPhones', () => {
  it.each([
    ['international with spaces', 'Call +44 20 7946 0958 today.', '+44 20 7946 0958'],
    ['international with dashes', 'Fax: +1-893-225-7525.', '+1-893-225-7525'],
    ['international with a trunk in parentheses', 'Desk: +41 (0)85 806 98 67', '+41 (0)85 806 98 67'],
    ['international, unspaced', 'WhatsApp +447911123456', '+447911123456'],
    ['an international prefix instead of a plus', 'call 001-464-567-0571 now', '001-464-567-0571'],
    ['NANP in parentheses', 'My number is (415) 555-0132, thanks', '(415) 555-0132'],
    ['NANP without a space', 'US: (415)555-0132', '(415)555-0132'],
    ['NANP with dots', 'cell 415.555.0132', '415.555.0132'],
    ['NANP with a country code', 'Toll free 1-800-555-0199.', '1-800-555-0199'],
    ['an extension', 'Fax: 463-612-6138x036', '463-612-6138x036'],
    ['a spelled-out extension', 'Phone: 212-555-1234 ext. 42', '212-555-1234 ext. 42'],
    ['a trunk 0 national number', 'Ring 020 7946 0958 before noon', '020 7946 0958'],
    ['French dotted pairs', 'Tél 01.84.17.61.18', '01.84.17.61.18'],
    ['an area code in parentheses', 'Phone: (71) 4233-6306', '(71) 4233-6306'],
    ['a one-digit trunk before the area code', 'звоните 8 (495) 123-45-67', '8 (495) 123-45-67'],
    ['a local number with a dash', 'dial 555-0132', '555-0132'],
    ['grouped digits after a phone label', 'Phone: 72 128 827', '72 128 827'],
    ['grouped digits on the line after the label', 'Phone:\n51 516 33 75', '51 516 33 75'],
    ['grouped digits before a label', '21 253 109 8211-Office', '21 253 109 8211'],
    ['plain digits after a label', 'Desk: 5403926876', '5403926876'],
    ['plain digits after "my … number"', 'My CN number is 13812345678', '13812345678'],
    ['after a written-out line break', 'MA 14960\\n716-385-5535 office', '716-385-5535'],
  ])('finds %s', (_what, text, phone) => expect(phones(text)).toEqual([phone]));

  it.each([
    ['a date', 'printed 2006-04-09.'],
    ['a timestamp', 'at 2002-09-12T20:03:58.031415'],
    ['a version', 'build 10.0.18312.3588 and 7.19.2-rc.4'],
    ['an ISBN', 'ISBN 978-0-663-13525-7'],
    ['an order number', 'order ORD-2025-303083 shipped'],
    ['a ticket number', 'Ticket #4305931908: crash'],
    ['a bare id without a phone word', 'Store #12409 processed 6050483910 transactions'],
    ['a reference number', 'Reference number 2884079570 - please quote it'],
    ['a unix time', 'logged at unix time 1533243068 (pid 4312)'],
    ['an amount', 'the total was $50,893.42'],
    ['a card number that fails Luhn', 'card 3598 5441 9674 7628'],
    ['an IBAN with a bad checksum', 'CH93 0076 2011 6238 5295 8'],
    ['number lists without a phone word', 'Scores: 120 340 560 780 for the four quarters.'],
    ['a case number', 'Case 17-cv-35169 was continued'],
    ['an IPv4 address', 'from 212.15.216.81'],
    ['thousands', 'grew to 1,456,789 in 2020'],
  ])('leaves %s alone', (_what, text) => expect(phones(text)).toEqual([]));
});
