// Secrets are masked the moment they exist, in every encoding they could be printed in: the runner masks
// exact substrings only, so a token that reaches a log URL-encoded, base64-encoded or JSON-escaped needs its
// own mask (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-secrets).
//
// The runner masks only the log. The job summary, the outputs and the text of errors are ours to keep clean:
// every secret masked here is also remembered, and `redact` removes all its forms from any text. Redact
// before cutting a text short, or a cut can leave a prefix of a secret that no mask matches.
import * as core from '@actions/core'

/** What a redacted secret is replaced with (the runner's own mask text). */
export const REDACTED = '***'

/** Every printable form of a secret value that this action could produce. */
export function secretForms(value: string): string[] {
  const base64 = Buffer.from(value).toString('base64')
  const forms = new Set<string>([
    value,
    encodeURIComponent(value),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
    JSON.stringify(value).slice(1, -1),
  ])
  return [...forms].filter((form) => form.length > 0)
}

/** Forms of every secret seen in this process, longest first (so a longer form is replaced before its parts). */
let known: string[] = []

/** Remember a secret for `redact` without telling the runner (the CLI, tests). */
export function rememberSecret(value: string | undefined): void {
  if (!value) return
  known = [...new Set([...known, ...secretForms(value)])].sort((a, b) => b.length - a.length)
}

export function maskSecret(value: string | undefined): void {
  if (!value) return
  rememberSecret(value)
  for (const form of secretForms(value)) core.setSecret(form)
}

/** The text with every form of every known secret replaced by ***. Apply before any cut. */
export function redact(text: string): string {
  let out = text
  for (const form of known) if (out.includes(form)) out = out.split(form).join(REDACTED)
  return out
}

/** Redact, then cut to `max` characters (with an ellipsis). */
export function redactAndCut(text: string, max: number): string {
  const clean = redact(text)
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}
