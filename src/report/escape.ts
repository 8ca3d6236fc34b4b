// Text from outside the action (file names, titles, Feishu's and GitHub's error texts, Markdown quoted in a
// warning) placed into the job summary. The summary is GitHub-flavoured Markdown whose parts the action
// writes as one-line HTML blocks; an HTML block ends at a blank line (https://github.github.com/gfm/#html-blocks),
// so a line break in a file name would end the table and let the rest be read as Markdown: headings, links,
// images. Every such text therefore becomes one line with no markup of its own, and no secret.
import { redact } from '../mask.js'

/** Line breaks of any kind (and the other control characters, which have no business in a summary). */
const BREAKS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/** One line of escaped, redacted text for the content of an HTML element of the summary. */
export function summaryText(text: string): string {
  return redact(text)
    .replace(BREAKS, (c) => (c === '\t' ? '\t' : ' '))
    .replace(/[&<>]/g, (c) => ENTITY[c]!)
}

/**
 * The action's own multi-line text (YAML to copy) inside <pre>: an HTML block that starts with <pre> ends only at
 * </pre> (https://github.github.com/gfm/#html-blocks, condition 1), so its line breaks may stay.
 */
export function summaryPre(text: string): string {
  return text
    .split('\n')
    .map((line) => summaryText(line))
    .join('\n')
}

/** summaryText for a double-quoted attribute value. */
export function summaryAttr(text: string): string {
  return summaryText(text).replace(/"/g, ENTITY['"']!)
}

