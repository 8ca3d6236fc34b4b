// Secrets are masked the moment they exist, in every encoding they could be printed in: the runner masks
// exact substrings only, so a token that reaches a log URL-encoded, base64-encoded or JSON-escaped needs its
// own mask (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-secrets).
import * as core from '@actions/core'

/** Every printable form of a secret value that this action could produce. */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64url'),
    JSON.stringify(value).slice(1, -1),
  ])
  return [...forms].filter((form) => form.length > 0)
}

export function maskSecret(value: string | undefined): void {
  if (!value) return
  for (const form of secretForms(value)) core.setSecret(form)
}
