/**
 * Reads the warden commands out of a GitHub Actions workflow, with no YAML or shell library: enough of both
 * to keep an example workflow and the test that runs its commands from drifting apart.
 *
 * - YAML: every `run:` value of the file, in file order (a block scalar `|`/`>` with its more-indented
 *   lines, or an inline value). Jobs are listed in the order they run in the examples this reads.
 * - Shell: each script is split into logical lines (a trailing `\` joins the next), each line into words
 *   and operators (quotes, `#` comments, `$(`, `)`, `|`, `||`, `&&`, `;`, `&`, redirections). A `warden`
 *   word in command position (first word, after an operator, a keyword such as `if`/`then`/`{`, or variable
 *   assignments) starts an invocation that runs to the next operator. So `v=$(warden model push … | jq …)`
 *   is read, and `echo "… warden deploy approve …"` (a quoted string) is not.
 */

export interface Word {
  /** The word with its quotes removed. */
  text: string;
  /** Whether the shell expands something in it (`$` outside single quotes): its value is not known here. */
  expands: boolean;
}

type Token = { op: string } | { word: Word };

/** The scripts of every `run:` key, in file order. */
export function runScripts(yaml: string): string[] {
  if (yaml.includes('\t')) throw new Error('the workflow contains a tab: YAML indents with spaces');
  const lines = yaml.split('\n');
  const scripts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(-\s+)?run:\s*(.*)$/.exec(lines[i] as string);
    if (!match) continue;
    const keyColumn = (match[1] as string).length + (match[2]?.length ?? 0);
    const value = (match[3] as string).trim();
    if (!/^[|>][-+]?$/.test(value)) {
      scripts.push(value);
      continue;
    }
    const body: string[] = [];
    let indent: number | null = null;
    for (i = i + 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.trim() === '') {
        body.push('');
        continue;
      }
      const column = line.length - line.trimStart().length;
      if (column <= keyColumn) break;
      indent ??= column;
      body.push(line.slice(Math.min(indent, column)));
    }
    i--;
    while (body.at(-1) === '') body.pop();
    // `|` keeps one final newline (YAML's default "clip"); the scripts are read line by line anyway.
    scripts.push(`${body.join('\n')}\n`);
  }
  return scripts;
}

/** Splits one logical shell line into words and operators. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  let expands = false;
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ word: { text, expands } });
    text = '';
    expands = false;
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      text += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          j++;
          text += line[j];
        } else {
          if (line[j] === '$') expands = true;
          text += line[j];
        }
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      text += line[++i];
      inWord = true;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '$' && line[i + 1] === '(') {
      flush();
      tokens.push({ op: '$(' });
      i++;
    } else if (c === '$') {
      text += c;
      expands = true;
      inWord = true;
    } else if ('|&;()<>'.includes(c)) {
      // A file descriptor number right before a redirection belongs to it (2>, 1>>).
      if (/^\d+$/.test(text) && (c === '>' || c === '<')) {
        text = '';
        inWord = false;
      }
      flush();
      const two = line.slice(i, i + 2);
      const op = ['&&', '||', '>>', '<<'].includes(two) ? two : c;
      tokens.push({ op });
      i += op.length - 1;
    } else {
      text += c;
      inWord = true;
    }
  }
  flush();
  return tokens;
}

const keywords = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time']);
const ends = new Set([')', '|', '||', '&&', ';', '&']);
const redirections = new Set(['>', '>>', '<', '<<']);

/** Every `warden …` invocation of a script, in order: the words after `warden`. */
export function wardenInvocations(script: string): Word[][] {
  const invocations: Word[][] = [];
  const logical = script.replace(/\\\n/g, ' ').split('\n');
  for (const line of logical) {
    const tokens = tokenize(line);
    let commandPosition = true;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      if ('op' in token) {
        if (redirections.has(token.op)) {
          i++; // its target
          continue;
        }
        commandPosition = true;
        continue;
      }
      if (!commandPosition) continue;
      const { text } = token.word;
      if (keywords.has(text) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) continue;
      commandPosition = false;
      if (text !== 'warden') continue;
      const args: Word[] = [];
      for (i = i + 1; i < tokens.length; i++) {
        const next = tokens[i] as Token;
        if ('op' in next) {
          if (ends.has(next.op) || next.op === '$(') {
            i--;
            break;
          }
          if (redirections.has(next.op)) i++;
          continue;
        }
        args.push(next.word);
      }
      invocations.push(args);
    }
  }
  return invocations;
}

/** Every warden invocation of a workflow file, in file order. */
export function workflowWardenCommands(yaml: string): Word[][] {
  return runScripts(yaml).flatMap(wardenInvocations);
}

/** Whether concrete arguments are an instance of a workflow invocation: same words, `$…` ones matching any. */
export function matchesInvocation(pattern: Word[], args: string[]): boolean {
  return pattern.length === args.length && pattern.every((w, i) => w.expands || w.text === args[i]);
}

/** A workflow invocation as text, its expanded words shown as `*`. */
export const showInvocation = (pattern: Word[]): string =>
  ['warden', ...pattern.map((w) => (w.expands ? '*' : w.text))].join(' ');
