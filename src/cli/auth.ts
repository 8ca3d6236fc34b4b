// `feishu-wiki-sync auth`: sign the user in once and write the resulting refresh token, sealed exactly as the
// action seals it, into the repository or environment secret. The token is never printed (except with --print,
// which writes nothing to GitHub) and never refreshed: a refresh would spend it.
//
// Order: everything that can fail without the user is checked first (flags, app secret, GitHub token, GitHub
// access to the secret, app credentials), so nobody signs in for nothing.
import { getTenantAccessToken, TenantTokenError } from '../feishu/auth.js'
import {
  AUTH_SCOPES,
  NO_REFRESH_TOKEN_HELP,
  OAuthError,
  type OAuthTokens,
  buildAuthorizeUrl,
  createPkce,
  exchangeAuthorizationCode,
  formatSeconds,
  oauthHint,
  pollDeviceToken,
  randomState,
  requestDeviceAuthorization,
} from '../feishu/oauth.js'
import { createGitHubClient, type GitHubClient, GitHubApiError } from '../github/client.js'
import { type PublicKey, type SecretTarget, getSecretPublicKey, proveSecretWriteAccess, putSecret } from '../github/secrets.js'
import { ExitCode, contextFlags, describeSecret, notSentAdvice, notSentReason } from '../token-guidance.js'
import type { AuthOptions } from './args.js'
import { APP_SECRET_HELP, findAppSecret, findGitHubToken, githubTokenHelp, inCliTerms } from './credentials.js'
import type { CliIO } from './io.js'
import { PortInUseError, startCallbackServer } from './loopback.js'

export async function runAuth(o: AuthOptions, io: CliIO): Promise<number> {
  // With --print, stdout carries the token alone; everything else goes to stderr.
  const say = o.print ? io.err : io.out
  const fail = (message: string, code: number = ExitCode.failed): number => {
    io.err(`error: ${message}`)
    return code
  }

  // Ctrl-C says what state things are in.
  let phase: 'checking' | 'signing-in' | 'saving' | 'done' = 'checking'
  const removeInterrupt = io.onInterrupt(() => io.err(`\n${interruptedMessage(phase, o)}`))
  try {
    return await authorize(o, io, say, fail, (next) => (phase = next))
  } finally {
    removeInterrupt()
  }
}

function interruptedMessage(phase: 'checking' | 'signing-in' | 'saving' | 'done', o: AuthOptions): string {
  const secret = o.print ? 'nothing was printed' : `the ${describeSecret({ name: o.secretName, environment: o.environment })} is unchanged`
  switch (phase) {
    case 'checking':
      return `Interrupted before signing in: nothing was done (${secret}).`
    case 'signing-in':
      return `Interrupted while waiting for the sign-in: no token was issued and ${secret}. The code printed above is abandoned; run the command again to start over.`
    case 'saving':
      return `Interrupted while saving the refresh token: the secret may or may not hold it. Check with \`doctor\`, or run this command again.`
    case 'done':
      return 'Interrupted after the work was done.'
  }
}

async function authorize(
  o: AuthOptions,
  io: CliIO,
  say: (text: string) => void,
  fail: (message: string, code?: number) => number,
  enter: (phase: 'signing-in' | 'saving' | 'done') => void,
): Promise<number> {
  const appSecret = await findAppSecret(io, o.appId)
  if (!appSecret) return fail(`no app secret. ${APP_SECRET_HELP}`, ExitCode.invalidInput)

  // GitHub first: a token that cannot write the secret must fail before anyone signs in.
  let github: { client: GitHubClient; target: SecretTarget; key: PublicKey; label: string } | undefined
  if (!o.print) {
    const repo = o.repo!
    const label = describeSecret({ name: o.secretName, environment: o.environment }, `${repo.owner}/${repo.repo}`)
    const token = await findGitHubToken(io, o.githubApiUrl)
    if (!token) return fail(`no GitHub token. ${githubTokenHelp(o.environment)}`, ExitCode.invalidInput)
    const target: SecretTarget = { owner: repo.owner, repo: repo.repo, secretName: o.secretName, ...(o.environment ? { environment: o.environment } : {}) }
    say(`Checking that the GitHub token (from ${token.source}) may write the ${label}…`)
    try {
      const client = createGitHubClient({ token: token.value, baseUrl: o.githubApiUrl, userAgent: 'feishu-wiki-sync-cli', maxAttempts: 3 })
      const key = await getSecretPublicKey(client, target)
      await proveSecretWriteAccess(client, target, key)
      github = { client, target, key, label }
    } catch (error) {
      return fail(`GitHub: ${errorText(error)}\n${githubFailureAdvice(error, o.githubApiUrl)}`)
    }
    if (!o.environment) {
      io.err(
        'warning: this writes a repository secret. The README recommends an environment secret (--environment wiki-sync, with ' +
          '`environment: wiki-sync` on the job and `secret-environment: wiki-sync` on the step): GitHub reads repository secrets when a ' +
          'run is queued, so a run queued behind another would start with a spent token.',
      )
    }
  }

  say(`Checking the app credentials of ${o.appId} with ${o.baseUrl}…`)
  try {
    await getTenantAccessToken({ baseUrl: o.baseUrl, appId: o.appId, appSecret: appSecret.value, onSecret: () => {} })
  } catch (error) {
    const notSent = notSentReason(error)
    if (notSent) return fail(notSentAdvice(notSent, { service: 'Feishu', url: o.baseUrl, setting: '--base-url (https://open.feishu.cn, or https://open.larksuite.com for Lark)' }))
    const message = error instanceof TenantTokenError ? inCliTerms(error.message) : errorText(error)
    return fail(`${message}\nThe App Secret came from ${appSecret.source}. For Lark, pass --base-url https://open.larksuite.com.`)
  }

  let tokens: OAuthTokens
  enter('signing-in')
  try {
    tokens = o.flow === 'device' ? await deviceFlow(o, appSecret.value, io, say) : await browserFlow(o, appSecret.value, io, say)
  } catch (error) {
    if (error instanceof OAuthError || error instanceof PortInUseError || error instanceof CallbackTimeout) return fail(error.message)
    return fail(errorText(error))
  }

  if (!tokens.refreshToken) {
    io.err(['error: no refresh token.', ...NO_REFRESH_TOKEN_HELP].join('\n'))
    return ExitCode.failed
  }
  const granted = new Set(tokens.scope.split(/\s+/).filter(Boolean))
  const missing = tokens.scope ? AUTH_SCOPES.filter((s) => !granted.has(s)) : []
  if (missing.length > 0) {
    io.err(
      `warning: Feishu did not grant ${missing.join(', ')}; the action needs ${missing.length === 1 ? 'it' : 'them'}. ` +
        'Enable the missing scopes under Permissions & Scopes, publish a new app version, and run this command again.',
    )
  }
  const lifetime = tokens.refreshTokenExpiresIn ?? 604_800
  const expiresAt = new Date(io.now() + lifetime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

  if (o.print) {
    io.err(
      'warning: --print writes the refresh token to standard output. Anyone who sees it can act as you in Feishu until it is used. ' +
        'Store it as the workflow\'s secret at once (e.g. `… --print | gh secret set FEISHU_REFRESH_TOKEN --env wiki-sync`), ' +
        'do not paste it into chats or files, and do not use it yourself: it works once, and using it breaks the workflow\'s chain.',
    )
    io.out(tokens.refreshToken)
    io.err(`The refresh token expires at ${expiresAt} unless the workflow uses it before then.`)
    return 0
  }

  // Written once, right away; no refresh, no "test" call with it.
  let saved: Awaited<ReturnType<typeof putSecret>>
  enter('saving')
  try {
    saved = await putSecret(github!.client, github!.target, tokens.refreshToken, github!.key)
  } catch (error) {
    return fail(
      `saving the refresh token into the ${github!.label} failed: ${errorText(error)}\n` +
        'The new authorization is lost (it was never printed or stored). Fix the problem and run the command again; nothing else changed.',
    )
  }
  enter('done')
  const repo = `${o.repo!.owner}/${o.repo!.repo}`
  say(
    saved.result === 'updated'
      ? `Saved the refresh token into the ${github!.label}, replacing the one it held (the chain starts again from this one).`
      : `Saved the refresh token into the ${github!.label} (created).`,
  )
  say(
    `It expires at ${expiresAt} (in ${formatSeconds(lifetime)}) unless the workflow uses it before then; a daily schedule keeps it alive.`,
  )
  const doctor = [
    `${io.command} doctor`,
    ...contextFlags({ name: o.secretName, environment: o.environment }, { repository: repo, appId: o.appId, baseUrl: o.baseUrl, githubApiUrl: o.githubApiUrl }),
  ]
  say(`Next: check the whole setup without spending the token: ${doctor.join(' ')}`)
  return 0
}

// ---- the device flow (default) ----------------------------------------------------------------------------------

async function deviceFlow(o: AuthOptions, appSecret: string, io: CliIO, say: (t: string) => void): Promise<OAuthTokens> {
  const device = await requestDeviceAuthorization({ accountsUrl: o.accountsUrl, appId: o.appId, appSecret, scopes: AUTH_SCOPES })
  const expires = io.now() + device.expiresIn * 1000
  let lastNotice = io.now()
  say(
    [
      '',
      `Sign in to ${o.baseUrl.includes('larksuite') ? 'Lark' : 'Feishu'} and authorize ${o.appId} — on any device with a browser:`,
      `  1. Open ${device.verificationUriComplete}`,
      `  2. Check that the page shows the code below, and approve.`,
      `     User code: ${device.userCode}`,
      device.verificationUriComplete !== device.verificationUri ? `     (Or open ${device.verificationUri} and enter the code.)` : undefined,
      `Waiting for your approval (the code expires in ${formatSeconds(device.expiresIn)})…`,
    ]
      .filter((line) => line !== undefined)
      .join('\n'),
  )
  return pollDeviceToken({
    baseUrl: o.baseUrl,
    appId: o.appId,
    appSecret,
    device,
    sleep: io.sleep,
    now: io.now,
    onPoll: (e) => {
      if (e.outcome === 'slow_down') say(`Feishu asked to poll more slowly; polling every ${e.interval} s.`)
      if (e.outcome === 'no-answer') say(`No answer from Feishu; retrying in ${e.interval} s.`)
      // Once a minute, how long the code still works.
      const left = Math.round((expires - io.now()) / 1000)
      if (io.now() - lastNotice >= 60_000 && left > 0) {
        lastNotice = io.now()
        say(`Still waiting for your approval: the code expires in ${formatSeconds(left)}.`)
      }
    },
  })
}

// ---- the browser flow (--browser) -------------------------------------------------------------------------------

class CallbackTimeout extends Error {}

async function browserFlow(o: AuthOptions, appSecret: string, io: CliIO, say: (t: string) => void): Promise<OAuthTokens> {
  const state = randomState()
  const pkce = createPkce()
  // Throws PortInUseError (with what to do) when the port is taken.
  const server = await startCallbackServer({
    port: o.port,
    state,
    onIgnored: (reason) => io.err(`warning: ignored ${reason} on the loopback redirect; waiting for the real one.`),
  })
  try {
    const url = buildAuthorizeUrl({ accountsUrl: o.accountsUrl, appId: o.appId, redirectUri: server.redirectUri, scopes: AUTH_SCOPES, state, codeChallenge: pkce.challenge })
    const minutes = Math.round(io.callbackTimeoutMs / 60_000)
    say(
      [
        '',
        `Sign in to ${o.baseUrl.includes('larksuite') ? 'Lark' : 'Feishu'} and authorize ${o.appId} in a browser on this machine:`,
        `  ${url}`,
        `The app must have this exact redirect URL (developer console → Security Settings → Redirect URLs):`,
        `  ${server.redirectUri}`,
        'If the page shows error 20029, that redirect URL is not registered: add it and run this command again.',
      ].join('\n'),
    )
    if (o.open) {
      let opened = false
      try {
        opened = await io.openBrowser(url)
      } catch {
        opened = false
      }
      say(opened ? 'Opened your browser.' : 'Open the URL above in your browser.')
    }
    say(`Waiting for the browser to come back (up to ${minutes >= 1 ? `${minutes} minutes` : `${Math.round(io.callbackTimeoutMs / 1000)} seconds`})…`)

    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CallbackTimeout(
              `no answer came back to ${server.redirectUri} in time. If Feishu showed error 20029, register ${server.redirectUri} ` +
                'exactly under Security Settings → Redirect URLs; if it showed 20027, enable the scopes ' +
                `${AUTH_SCOPES.join(', ')} under Permissions & Scopes and publish a version. Then run the command again` +
                ' (or use the device flow: drop --browser).',
            ),
          ),
        io.callbackTimeoutMs,
      )
    })
    let answer
    try {
      answer = await Promise.race([server.result, timeout])
    } finally {
      clearTimeout(timer)
    }
    if (answer.kind === 'error') {
      const hint = oauthHint(undefined, answer.error)
      if (answer.error === 'access_denied') {
        throw new OAuthError('access-denied', `the authorization was declined in the browser (error=access_denied${answer.description ? `: ${answer.description}` : ''}). Nothing was written. Run the command again and choose Authorize.`)
      }
      throw new OAuthError('rejected', `Feishu redirected back with error=${answer.error}${answer.description ? `: ${answer.description}` : ''}.${hint ? `\n${hint}` : ''}`, {
        error: answer.error,
        description: answer.description,
      })
    }
    say('Received the authorization code; exchanging it (once) for the tokens…')
    return await exchangeAuthorizationCode({
      baseUrl: o.baseUrl,
      appId: o.appId,
      appSecret,
      code: answer.code,
      redirectUri: server.redirectUri,
      codeVerifier: pkce.verifier,
    })
  } finally {
    await server.close()
  }
}

function errorText(error: unknown): string {
  if (error instanceof GitHubApiError) return inCliTerms(error.message)
  if (error instanceof Error) return inCliTerms(error.message)
  return String(error)
}

/** What to change after GitHub refused or could not be reached: the URL, the environment, or the token. */
function githubFailureAdvice(error: unknown, githubApiUrl: string): string {
  const notSent = notSentReason(error)
  if (notSent) return notSentAdvice(notSent, { service: 'GitHub', url: githubApiUrl, setting: '--github-api-url (https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server)' })
  const message = error instanceof Error ? error.message : String(error)
  if (/^environment '.*' not found/.test(message)) return 'Nothing was done; fix --environment (or create the environment) and run the command again.'
  if (/repository .* not found/.test(message)) return 'Nothing was done; check --repo, and that GH_TOKEN can see that repository.'
  return 'Nothing was done; fix the GitHub token (GH_TOKEN) and run the command again.'
}
