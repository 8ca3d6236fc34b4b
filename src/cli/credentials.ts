// Where the CLI finds the secrets it needs. None is ever a flag, and none is ever printed.
import type { CliIO } from './io.js'

export interface Found {
  value: string
  /** Where it came from, for messages ("FEISHU_APP_SECRET", "gh auth token"). */
  source: string
}

/** FEISHU_APP_SECRET, else a hidden prompt when a person is at the terminal. */
export async function findAppSecret(io: CliIO, appId: string): Promise<Found | undefined> {
  const fromEnv = io.env.FEISHU_APP_SECRET?.trim()
  if (fromEnv) return { value: fromEnv, source: 'FEISHU_APP_SECRET' }
  if (!io.interactive) return undefined
  const typed = (await io.readSecret(`App Secret of ${appId} (input hidden): `))?.trim()
  return typed ? { value: typed, source: 'the prompt' } : undefined
}

export const APP_SECRET_HELP =
  'Set FEISHU_APP_SECRET to the app\'s App Secret (developer console → Credentials & Basic Info), e.g. `read -rs FEISHU_APP_SECRET && export FEISHU_APP_SECRET`, or run on a terminal to be asked for it.'

/** The github.com-style host `gh` knows for an API URL: api.github.com → github.com, https://ghe.example/api/v3 → ghe.example. */
export function githubHostFor(apiUrl: string): string {
  const host = new URL(apiUrl).host
  return host.startsWith('api.') ? host.slice(4) : host
}

/** GH_TOKEN, GITHUB_TOKEN, else `gh auth token` when the GitHub CLI is installed and signed in. */
export async function findGitHubToken(io: CliIO, apiUrl: string): Promise<Found | undefined> {
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN']) {
    const value = io.env[name]?.trim()
    if (value) return { value, source: name }
  }
  const result = await io.runCommand('gh', ['auth', 'token', '--hostname', githubHostFor(apiUrl)])
  const token = result?.code === 0 ? result.stdout.trim() : ''
  return token ? { value: token, source: 'gh auth token' } : undefined
}

export function githubTokenHelp(environment: string | undefined): string {
  const permission = environment ? '"Environments: read and write"' : '"Secrets: read and write"'
  return (
    `Set GH_TOKEN to a token that may write the secret (a fine-grained PAT for this repository with ${permission}; ` +
    "a classic PAT needs 'repo'), or sign in with `gh auth login` so `gh auth token` can provide one."
  )
}

/**
 * Messages shared with the action name the action's inputs; on the command line the same things are flags and
 * environment variables.
 */
export function inCliTerms(message: string): string {
  return message
    .replace(/\bgithub-token\b/g, 'GH_TOKEN')
    .replace(/\bthe environment input\b/g, '--environment')
    .replace(/\bCheck app-id and app-secret\b/g, 'Check --app-id and FEISHU_APP_SECRET')
    .replace(/\bapp-id\/app-secret\b/g, '--app-id/FEISHU_APP_SECRET')
}
