/**
 * Whether a text the user sent carries a pasted document: an email with its headers or a greeting line,
 * code in fences (``` reads ''' in the view, where backticks fold to quotes) or a traceback, text between
 * separator lines, a labelled context block ("Context:", "Document:", "Search results:"), or a request to
 * summarize / translate / assess "the following" article, email, resume or page. The document part is third-party content, so in such a text the rules
 * for indirect injection (instructions planted in documents) count with their untrusted weight.
 * Runs on the normalized view; every pattern is a bounded scan.
 */
const HEADER =
  /(?:^|\n|\|) ?(?:subject|from|to|cc|bcc|date|sent|received(?: date)?|email_from|email_to|reply-to|content) ?:/g;
const MARKERS =
  /'''|(?:^|\n) ?(?:context|document|email|e-mail|article|passage|source|web ?page|search results?|retrieved (?:text|document|content)|tool (?:output|result)|file contents?) ?:|\n ?(?:hi|hello|dear|hey) [a-z]{2,20} ?,|traceback \(most recent call last\)|(?:^|\n) ?(?:-{3,}|={3,}|_{3,}|\*{3,}) ?(?:\n|$)|\b(?:summari[sz]e|analy[sz]e|assess|review|evaluate|translate|proofread|rewrite|paraphrase|polish|refine|classify|read|answer questions about|extract[^\n]{0,30}?from)\b (?:this|the following|the below|the attached|the given|the above|these)\b[^\n]{0,20}?\b(?:article|email|e-mail|emails|document|resume|cv|text|page|report|profile|candidate|paper|message|letter|code|file|review|post|transcript|paragraph|content|sentences?|website|webpage|snippet|thread)s?\b/;

export function embedsDocument(view: string): boolean {
  if (MARKERS.test(view)) return true;
  let headers = 0;
  HEADER.lastIndex = 0;
  while (HEADER.exec(view) !== null) if (++headers >= 2) break;
  HEADER.lastIndex = 0;
  return headers >= 2;
}
