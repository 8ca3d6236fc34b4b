// Log lines built from repository content (file names, titles, messages quoting Markdown) are untrusted: the
// runner reads every stdout line as a possible workflow command. A line that starts with `::` after leading
// whitespace is a command (`::add-mask::`, `::stop-commands::` …), and a `##[` anywhere in a line is the old
// command syntax the runner still parses (actions/runner, src/Runner.Common/ActionCommand.cs, TryParseV2 and
// TryParse). So a path holding "\n::stop-commands::x\n" would silence every annotation the action makes after it.

/** Characters that end or break a line, or that a terminal acts on: shown as visible escapes instead. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

/**
 * One log line from untrusted text: CR, LF and other control characters become visible escapes (\n, \r,
 * \u001b …), a leading `::` is escaped, and no `##[` survives, so the runner sees no command in it.
 */
export function logSafe(text: string): string {
  let line = text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  line = line.replace(/##\[/g, '#\\#[')
  // TrimStart in the runner drops any Unicode white space before looking for `::`.
  return /^\s*::/u.test(line) ? `\\${line}` : line
}

/** C0 controls except tab and line feed, DEL, and C1 controls: what a terminal would act on (ESC sequences, bells). */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Text for a terminal, with the control characters a terminal would act on removed: an error description
 * from a redirect, a device-flow string from the server, an error message quoting either. Lines stay lines.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(TERMINAL_CONTROL, '')
}
