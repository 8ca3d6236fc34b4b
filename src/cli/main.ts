// The `feishu-wiki-sync` command: `auth` (first authorization, straight into the GitHub secret), `doctor`
// (checks without spending the token) and `check` (the docs, offline). `main` takes its argv and an injectable IO so
// tests run it in-process.
import { terminalSafe } from '../log-text.js'
import { ExitCode } from '../token-guidance.js'
import { parseAuthOptions, parseCheckOptions, parseDoctorOptions, UsageError } from './args.js'
import { runAuth } from './auth.js'
import { runCheck } from './check.js'
import { runDoctor } from './doctor.js'
import { type CliIO, defaultIO, packageVersion } from './io.js'

export const USAGE = `feishu-wiki-sync: set up and check the feishu-wiki-sync GitHub Action.

Usage:
  feishu-wiki-sync auth   --repo <owner/name> --app-id <cli_…> [--environment <name>] [options]
  feishu-wiki-sync doctor [--repo <owner/name>] [--app-id <cli_…>] [--environment <name>] [options]
  feishu-wiki-sync check  [path…] [--exclude <glob>]… [--fail-on-warning]
  feishu-wiki-sync --help | --version

Commands:
  auth     Sign in to Feishu/Lark once and write the first refresh token, sealed, into the GitHub secret.
  doctor   Check the setup without spending the refresh token (exit 1 when a check failed).
  check    Check the docs as a pull request's mode: check does: offline, no secret (exit 1 when a file would
           fail to publish).

Run 'feishu-wiki-sync <command> --help' for the command's options.
Exit codes: 0 success, 1 failure, 2 invalid usage.
`

export const AUTH_USAGE = `Usage: feishu-wiki-sync auth --repo <owner/name> --app-id <cli_…> [options]

Signs you in to Feishu/Lark and writes the resulting refresh token, sealed with the secret's public key,
straight into the repository or environment secret that the workflow reads. The token is never printed and
never refreshed (a refresh would spend it). GitHub access is checked before you sign in.

Options:
  --repo <owner/name>     repository that holds the secret (required unless --print)
  --environment <name>    write an environment secret (recommended: the workflow job must run in this environment
                          and pass it as secret-environment)
  --secret-name <name>    secret name (default FEISHU_REFRESH_TOKEN)
  --app-id <cli_…>        App ID of your Feishu/Lark app (required)
  --base-url <url>        Open API base (default https://open.feishu.cn; Lark: https://open.larksuite.com)
  --accounts-url <url>    sign-in host (default: the base URL with open. replaced by accounts.)
  --github-api-url <url>  GitHub REST API (default $GITHUB_API_URL or https://api.github.com)
  --browser               sign in with a browser on this machine (authorization code + PKCE, loopback redirect)
                          instead of the default device flow (a code you approve on any device)
  --port <n>              loopback port for --browser (default 8123); the app must have the redirect URL
                          http://127.0.0.1:<n>/callback registered
  --no-open               with --browser: print the sign-in URL, do not open a browser
  --print                 print the refresh token instead of writing a secret (only for users without GitHub
                          access; it warns)
  -h, --help              show this help

Environment:
  FEISHU_APP_SECRET       the App Secret (otherwise asked for, hidden, on a terminal; never a flag)
  GH_TOKEN, GITHUB_TOKEN  a GitHub token allowed to write the secret (otherwise \`gh auth token\`): a fine-grained
                          PAT with "Secrets: read and write" (repository secret) or "Environments: read and
                          write" (environment secret); a classic PAT needs "repo"
`

export const DOCTOR_USAGE = `Usage: feishu-wiki-sync doctor [options]

Checks everything that can be checked without the refresh token, and prints a checklist (ok / warning /
failed, each with its fix): the app credentials, GitHub access to the secret, how old the secret is, the
workflow that uses the action (concurrency, environment, secret-environment, schedule), and the wiki space and
parent node where the app can see them (of each mapping, when the workflow has mappings). It never uses the refresh token. Exit code 1 when a check failed.
Values missing from the flags are taken from the workflow's literal inputs and the git remote.

Options:
  --repo <owner/name>     repository that holds the secret (default: the git remote "origin")
  --environment <name>    the secret is this environment's (default: the workflow's secret-environment)
  --secret-name <name>    secret name (default: the workflow's secret-name, else FEISHU_REFRESH_TOKEN)
  --app-id <cli_…>        App ID (default: the workflow's app-id when it is a literal)
  --base-url <url>        Open API base (default https://open.feishu.cn; Lark: https://open.larksuite.com)
  --github-api-url <url>  GitHub REST API (default $GITHUB_API_URL or https://api.github.com)
  --workflow <file>       the workflow file to check (default: every .github/workflows/*.yml|yaml that uses
                          feishu-wiki-sync)
  --space-id <id>         wiki space to look up with the app's identity (default: the workflow's space-id)
  --parent-node <token>   wiki node to look up (default: the workflow's parent-node)
  -h, --help              show this help

Environment:
  FEISHU_APP_SECRET       the App Secret (otherwise asked for, hidden, on a terminal)
  GH_TOKEN, GITHUB_TOKEN  a GitHub token that may read and write the secret (otherwise \`gh auth token\`)
`

export const CHECK_USAGE = `Usage: feishu-wiki-sync check [path…] [options]

Converts every Markdown file under each path (default: docs) exactly as the action would, offline, with no
secret and no network call, and prints what publishing would meet, one line per finding
("file:line:column: warning: …"): files that would fail to publish (errors), relative links to files that do
not exist or are left out, #anchors no heading has, missing images, sibling pages with one title, and what
the conversion changes. Then the tree of pages each path would become. Several paths are checked as one
run's mappings (they must not overlap). Exit code 1 when a file would fail to publish (or, with
--fail-on-warning, on any warning), 2 for invalid usage.

Options:
  --exclude <glob>        leave matching files out, as the action's exclude input (relative to each path;
                          repeatable)
  --fail-on-warning       exit 1 on warnings too
  --root <dir>            the repository root that links and images resolve in (default: the current directory)
  -h, --help              show this help
`

export async function main(argv: string[], overrides: Partial<CliIO> = {}): Promise<number> {
  const raw: CliIO = { ...defaultIO(), ...overrides }
  // Servers and redirects put text into what is printed: no escape sequence of theirs reaches the terminal.
  const io: CliIO = { ...raw, out: (text) => raw.out(terminalSafe(text)), err: (text) => raw.err(terminalSafe(text)) }
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE)
        return command === undefined ? ExitCode.invalidInput : 0
      case '-v':
      case '--version':
      case 'version':
        io.out(packageVersion())
        return 0
      case 'auth': {
        const options = parseAuthOptions(rest, io.env)
        if (options === 'help') {
          io.out(AUTH_USAGE)
          return 0
        }
        return await runAuth(options, io)
      }
      case 'doctor': {
        const options = parseDoctorOptions(rest, io.env)
        if (options === 'help') {
          io.out(DOCTOR_USAGE)
          return 0
        }
        return await runDoctor(options, io)
      }
      case 'check': {
        const options = parseCheckOptions(rest, io.cwd)
        if (options === 'help') {
          io.out(CHECK_USAGE)
          return 0
        }
        return await runCheck(options, io)
      }
      default:
        throw new UsageError(
          command.startsWith('-') ? `unknown flag ${command}; put flags after the command (auth, doctor or check)` : `unknown command '${command}'`,
        )
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`)
      io.err(`Run 'feishu-wiki-sync ${error.command ? `${error.command} ` : ''}--help' for usage.`)
      return ExitCode.invalidInput
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`)
    return ExitCode.failed
  }
}
