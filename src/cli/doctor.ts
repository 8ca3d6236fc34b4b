// `feishu-wiki-sync doctor`: checks everything that can be checked WITHOUT the refresh token, and prints a
// checklist. It never reads, sends or refreshes the refresh token: using it would spend it.
//
// Checks: the workflow file(s) that use the action (src/workflow-file.ts); the app credentials (tenant access
// token, https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal);
// GitHub access to the secret (public key, a write probe, metadata: https://docs.github.com/en/rest/actions/secrets);
// how old the secret is (a refresh token lives about 7 days); and, with the app's identity where it has access,
// whether the wiki space and parent node exist (https://open.feishu.cn/document/server-docs/docs/wiki-v2/space/get,
// …/space/get_node).
import fs from 'node:fs'
import path from 'node:path'
import { getTenantAccessToken } from '../feishu/auth.js'
import { FeishuClient, FeishuError } from '../feishu/client.js'
import { DriveApi } from '../feishu/drive.js'
import { WikiApi } from '../feishu/wiki.js'
import { createGitHubClient, GitHubApiError } from '../github/client.js'
import { type SecretTarget, getSecretMetadata, getSecretPublicKey, proveSecretWriteAccess, writeProbeName } from '../github/secrets.js'
import { type Mapping, SettingsError, readSettings } from '../settings.js'
import { describeSecret, notSentAdvice, notSentReason, reauthorizeCommand } from '../token-guidance.js'
import { type FindingLevel, type WorkflowInspection, formatHours, inspectWorkflow } from '../workflow-file.js'
import { type DoctorOptions, type Repository, UsageError, parseBaseUrl } from './args.js'
import { APP_SECRET_HELP, findAppSecret, findGitHubToken, githubTokenHelp, inCliTerms } from './credentials.js'
import type { CliIO } from './io.js'

export interface Check {
  level: FindingLevel
  title: string
  message: string
  fix?: string
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** The refresh token lives about 7 days (refresh_token_expires_in 604800); warn from day 5, fail from day 7. */
export const SECRET_WARN_DAYS = 5
export const SECRET_FAIL_DAYS = 7

const TAG: Record<FindingLevel, string> = { ok: '[ok]', warning: '[warning]', failed: '[failed]' }

export function formatCheck(c: Check): string {
  const pad = ' '.repeat(11)
  const lines = [`${TAG[c.level].padEnd(11)}${c.title}: ${c.message}`]
  if (c.fix) {
    const [first, ...rest] = c.fix.split('\n')
    lines.push(`${pad}fix: ${first}`)
    for (const line of rest) lines.push(`${pad}     ${line}`)
  }
  return lines.join('\n')
}

interface FoundWorkflow {
  file: string
  inspection: WorkflowInspection
}

const literal = (v: string | undefined): string | undefined => (v && !v.includes('${{') ? v.trim() || undefined : undefined)

export async function runDoctor(o: DoctorOptions, io: CliIO): Promise<number> {
  const checks: Check[] = []
  const add = (c: Check) => {
    checks.push(c)
    io.out(formatCheck(c))
  }

  // ---- the workflow file(s): local, and a source of defaults for everything else ----------------------------
  const workflowChecks: Check[] = []
  const notJudged: string[] = []
  const workflows = readWorkflows(o, io, (c) => workflowChecks.push(c), notJudged)
  const primary = workflows[0]
  const wf = primary?.inspection
  const from = primary ? ` (from ${primary.file})` : ''
  const noted: string[] = []
  const pick = (flag: string | undefined, fromWorkflow: string | undefined, what: string): string | undefined => {
    if (flag !== undefined) return flag
    if (fromWorkflow !== undefined) noted.push(`${what}${from}`)
    return fromWorkflow
  }
  const appId = pick(o.appId, literal(wf?.inputs?.['app-id']), 'app-id')
  const environment = pick(o.environment, literal(wf?.secretEnvironment), 'secret-environment')
  const secretName = o.secretNameGiven ? o.secretName : (pick(undefined, literal(wf?.inputs?.['secret-name']), 'secret-name') ?? o.secretName)
  const spaceId = pick(o.spaceId, literal(wf?.inputs?.['space-id']), 'space-id')
  const parentNode = pick(o.parentNode, literal(wf?.inputs?.['parent-node']), 'parent-node')
  let baseUrl = o.baseUrl
  const workflowBase = literal(wf?.inputs?.['base-url'])
  if (!o.baseUrlGiven && workflowBase) {
    try {
      baseUrl = parseBaseUrl('base-url', workflowBase, 'doctor')
      noted.push(`base-url${from}`)
    } catch {
      // the action itself will reject it; doctor keeps the default
    }
  }
  let repo = o.repo
  if (!repo) {
    repo = await repositoryFromGit(io)
    if (repo) noted.push('repository (from git remote origin)')
  }
  const secret = { name: secretName, ...(environment ? { environment } : {}) }
  const repoName = repo ? `${repo.owner}/${repo.repo}` : undefined
  io.out(
    `Checking ${repoName ?? '(no repository)'}: ${describeSecret(secret)}, app ${appId ?? '(no app-id)'}, ${baseUrl}` +
      (workflows.length ? `\n  workflow${workflows.length > 1 ? 's' : ''} read: ${workflows.map((w) => w.file).join(', ')}` : '') +
      (noted.length ? `\n  using ${noted.join(', ')}` : ''),
  )
  for (const line of notJudged) io.out(line)

  for (const c of workflowChecks) add(c)
  if (o.environment !== undefined && wf?.secretEnvironment !== undefined && literal(wf.secretEnvironment)?.toLowerCase() !== o.environment.toLowerCase()) {
    add({
      level: 'warning',
      title: `Workflow ${primary!.file}`,
      message: `you asked about environment '${o.environment}', but the workflow saves the token into environment '${wf.secretEnvironment}'.`,
      fix: 'Check the environment: pass the one the workflow uses, or change the workflow.',
    })
  }
  const groups = new Set(workflows.map((w) => w.inspection.concurrency?.group.toLowerCase()).filter((g): g is string => g !== undefined))
  if (workflows.length > 1 && groups.size > 1) {
    add({
      level: 'warning',
      title: 'Workflows',
      message: `${workflows.length} workflows use the action with different concurrency groups (${[...groups].join(', ')}): their runs can spend the same refresh token at the same time.`,
      fix: 'Give every workflow that uses this token the same concurrency group.',
    })
  }

  // ---- Feishu app credentials -------------------------------------------------------------------------------
  let tenantToken: string | undefined
  if (!appId) {
    add({ level: 'failed', title: 'Feishu app', message: 'no App ID to check.', fix: 'Pass --app-id cli_… (or put a literal app-id in the workflow).' })
  } else {
    const appSecret = await findAppSecret(io, appId)
    if (!appSecret) {
      add({ level: 'warning', title: 'Feishu app', message: `not checked: no app secret for ${appId}.`, fix: APP_SECRET_HELP })
    } else {
      try {
        tenantToken = (await getTenantAccessToken({ baseUrl, appId, appSecret: appSecret.value, onSecret: () => {} })).token
        add({ level: 'ok', title: 'Feishu app', message: `${appId} and its App Secret (from ${appSecret.source}) are accepted by ${baseUrl}.` })
      } catch (error) {
        const notSent = notSentReason(error)
        add({
          level: 'failed',
          title: 'Feishu app',
          message: inCliTerms((error as Error).message),
          fix: notSent
            ? notSentAdvice(notSent, { service: 'Feishu', url: baseUrl, setting: '--base-url (https://open.feishu.cn, or https://open.larksuite.com for Lark)' })
            : 'Copy the App ID and App Secret again from the developer console (Credentials & Basic Info); for Lark pass --base-url https://open.larksuite.com.',
        })
      }
    }
  }

  // ---- GitHub access and the secret -------------------------------------------------------------------------
  await checkGitHub(io, o, add, repo, secret, appId, baseUrl)

  // ---- wiki (app identity, where the app has access) ---------------------------------------------------------
  const mappings = workflowMappings(io, add, wf?.inputs?.mappings, spaceId, from)
  if (mappings) {
    // Each mapping's space and parent, each check named after its folder.
    for (const m of mappings) {
      const named = (c: Check) => add({ ...c, title: `${c.title} (${m.docsPathInRepo})` })
      await checkWiki(io, named, baseUrl, tenantToken, m.spaceId, m.parentNode)
    }
  } else if (spaceId || parentNode) await checkWiki(io, add, baseUrl, tenantToken, spaceId, parentNode)

  const failed = checks.filter((c) => c.level === 'failed').length
  const warnings = checks.filter((c) => c.level === 'warning').length
  const ok = checks.filter((c) => c.level === 'ok').length
  io.out(
    `\n${failed} failed, ${warnings} warning${warnings === 1 ? '' : 's'}, ${ok} ok. ` +
      'The refresh token was not used: doctor never reads or refreshes it.',
  )
  return failed > 0 ? 1 : 0
}

/**
 * The workflow's literal `mappings`, read and checked by the action's own rules (the paths exist in this
 * checkout, do not overlap, each has its own parent). Undefined when the workflow has none.
 */
function workflowMappings(io: CliIO, add: (c: Check) => void, text: string | undefined, spaceId: string | undefined, from: string): Mapping[] | undefined {
  const mappings = literal(text)
  if (!mappings) return undefined
  const inputs: Record<string, string> = { mode: 'check', mappings, 'space-id': spaceId ?? '' }
  try {
    return [...readSettings((name) => inputs[name] ?? '', { GITHUB_WORKSPACE: io.cwd }).mappings]
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error
    for (const p of error.problems) add({ level: 'failed', title: `Workflow mappings${from}`, message: p.message, fix: 'Fix the mappings input of the workflow; the action refuses it before spending the token.' })
    return []
  }
}

// ---- workflows -------------------------------------------------------------------------------------------------

/**
 * Workflows that rotate a real token pass `refresh-token: ${{ secrets.… }}` (or use auth: app). One that feeds it from
 * a step's output or a literal is a test of the action itself (this project's dogfood job), not a setup to judge.
 */
function syncsWithRealToken(inspection: WorkflowInspection): boolean {
  if ((inspection.inputs?.auth ?? 'user').trim().toLowerCase() === 'app') return true
  const refresh = inspection.inputs?.['refresh-token']
  return refresh === undefined || /\bsecrets\s*(\.|\[)/.test(refresh)
}

function readWorkflows(o: DoctorOptions, io: CliIO, add: (c: Check) => void, notJudged: string[]): FoundWorkflow[] {
  const found: FoundWorkflow[] = []
  const secretName = o.secretNameGiven ? o.secretName : undefined
  const report = (file: string, inspection: WorkflowInspection) => {
    for (const f of inspection.findings) {
      add({ level: f.level, title: `Workflow ${file}${f.line ? `:${f.line}` : ''}`, message: f.message, fix: f.fix })
    }
  }
  if (o.workflow) {
    const full = path.resolve(io.cwd, o.workflow)
    let text: string
    try {
      text = fs.readFileSync(full, 'utf8')
    } catch (error) {
      throw new UsageError(`--workflow ${o.workflow}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'doctor')
    }
    const inspection = inspectWorkflow(text, { secretName })
    report(o.workflow, inspection)
    if (inspection.usesAction) found.push({ file: o.workflow, inspection })
    return found
  }
  const dir = path.join(io.cwd, '.github', 'workflows')
  const skipped: string[] = []
  let names: string[] = []
  try {
    names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort()
  } catch {
    // no workflows directory
  }
  for (const name of names) {
    const file = path.posix.join('.github', 'workflows', name)
    const inspection = inspectWorkflow(fs.readFileSync(path.join(dir, name), 'utf8'), { secretName })
    if (inspection.usesAction && !syncsWithRealToken(inspection)) {
      skipped.push(file)
    } else if (inspection.usesAction) {
      report(file, inspection)
      found.push({ file, inspection })
    } else if (inspection.findings.some((f) => f.check === 'yaml')) {
      add({ level: 'warning', title: `Workflow ${file}`, message: `could not be read: ${inspection.findings[0]!.message}` })
    }
  }
  for (const file of skipped) {
    notJudged.push(`Not judged: ${file} uses the action without a refresh token from a secret (a test or demo workflow); pass --workflow ${file} to check it anyway.`)
  }
  if (found.length === 0) {
    add({
      level: 'warning',
      title: 'Workflow',
      message: `no workflow in ${path.join(io.cwd, '.github', 'workflows')} uses feishu-wiki-sync, so the workflow checks did not run.`,
      fix: 'Run doctor from the repository checkout, pass --workflow <file>, or add the workflow from the README.',
    })
  }
  return found
}

async function repositoryFromGit(io: CliIO): Promise<Repository | undefined> {
  const result = await io.runCommand('git', ['-C', io.cwd, 'remote', 'get-url', 'origin'])
  if (!result || result.code !== 0) return undefined
  const m = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@\s]+@[^:\s]+:)([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(result.stdout.trim())
  return m ? { owner: m[1]!, repo: m[2]! } : undefined
}

// ---- GitHub ----------------------------------------------------------------------------------------------------

async function checkGitHub(
  io: CliIO,
  o: DoctorOptions,
  add: (c: Check) => void,
  repo: Repository | undefined,
  secret: { name: string; environment?: string },
  appId: string | undefined,
  baseUrl: string,
): Promise<void> {
  if (!repo) {
    add({ level: 'warning', title: 'GitHub', message: 'not checked: no repository.', fix: 'Pass --repo <owner>/<name>.' })
    return
  }
  const repoName = `${repo.owner}/${repo.repo}`
  const label = describeSecret(secret, repoName)
  const token = await findGitHubToken(io, o.githubApiUrl)
  if (!token) {
    add({ level: 'warning', title: 'GitHub', message: `not checked: no GitHub token to read the ${label}.`, fix: githubTokenHelp(secret.environment) })
    return
  }
  const target: SecretTarget = { owner: repo.owner, repo: repo.repo, secretName: secret.name, ...(secret.environment ? { environment: secret.environment } : {}) }
  const client = createGitHubClient({ token: token.value, baseUrl: o.githubApiUrl, userAgent: 'feishu-wiki-sync-cli', maxAttempts: 2 })
  const tokenFix = githubTokenHelp(secret.environment)
  let key
  try {
    key = await getSecretPublicKey(client, target)
  } catch (error) {
    add({ level: 'failed', title: 'GitHub access', message: messageOf(error), fix: githubFix(error, o.githubApiUrl, tokenFix) })
    return
  }
  try {
    await proveSecretWriteAccess(client, target, key)
    add({
      level: 'ok',
      title: 'GitHub access',
      message: `the token from ${token.source} may write the ${label} (checked with a probe secret ${writeProbeName(secret.name)}, deleted again).`,
    })
  } catch (error) {
    add({
      level: 'failed',
      title: 'GitHub access',
      message: `the token from ${token.source} can read the public key but may not write the ${label}: ${messageOf(error)}`,
      fix: tokenFix,
    })
  }

  let metadata
  try {
    metadata = await getSecretMetadata(client, target)
  } catch (error) {
    add({ level: 'warning', title: 'Refresh token secret', message: `could not read its metadata: ${messageOf(error)}` })
    return
  }
  const reauthorize = reauthorizeCommand(secret, { repository: repoName, appId, baseUrl, githubApiUrl: o.githubApiUrl, command: io.command })
  if (!metadata) {
    add({
      level: 'failed',
      title: 'Refresh token secret',
      message: `the ${label} does not exist.`,
      fix: `Authorize once: ${reauthorize}`,
    })
    return
  }
  const updated = Date.parse(metadata.updatedAt)
  if (Number.isNaN(updated)) {
    add({ level: 'warning', title: 'Refresh token secret', message: `exists, but its updated_at '${metadata.updatedAt}' is unreadable.` })
    return
  }
  const age = io.now() - updated
  const ago = `last updated ${formatHours(Math.max(0, age) / HOUR)} ago (${metadata.updatedAt})`
  if (age >= SECRET_FAIL_DAYS * DAY) {
    add({
      level: 'failed',
      title: 'Refresh token secret',
      message: `${secret.name} was ${ago}: a refresh token lives about 7 days, so it has most likely expired.`,
      fix: `Authorize again: ${reauthorize}\nThen keep it alive with a daily schedule.`,
    })
  } else if (age >= SECRET_WARN_DAYS * DAY) {
    add({
      level: 'warning',
      title: 'Refresh token secret',
      message: `${secret.name} was ${ago}: it expires about 7 days after it was issued.`,
      fix: 'Run the workflow now (workflow_dispatch), and check that its daily schedule runs.',
    })
  } else {
    add({ level: 'ok', title: 'Refresh token secret', message: `${secret.name} exists, ${ago}.` })
  }
}

function messageOf(error: unknown): string {
  if (error instanceof GitHubApiError || error instanceof Error) return inCliTerms(error.message)
  return String(error)
}

/** The fix for a GitHub failure names what is wrong: the URL, the environment, or (only then) the token. */
function githubFix(error: unknown, githubApiUrl: string, tokenFix: string): string {
  const notSent = notSentReason(error)
  if (notSent) return notSentAdvice(notSent, { service: 'GitHub', url: githubApiUrl, setting: '--github-api-url (https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server)' })
  if (/^environment '.*' not found/.test(messageOf(error))) return 'Pass the environment the workflow uses (--environment), or create it under Settings → Environments.'
  return tokenFix
}

// ---- wiki ------------------------------------------------------------------------------------------------------

/**
 * on-remote-edit names who edited a page from drive metas batch_query; without a drive scope the run still works
 * but says "by someone" (and says why once in the summary).
 */
async function checkDriveMetas(add: (c: Check) => void, client: FeishuClient, documentId: string): Promise<void> {
  try {
    await new DriveApi(client).docxMetas([documentId])
    add({ level: 'ok', title: 'Drive metadata', message: 'who edited a page in Feishu can be looked up (drive metas batch_query).' })
  } catch (error) {
    add({
      level: 'warning',
      title: 'Drive metadata',
      message: `who edited a page in Feishu cannot be looked up (${messageOf(error)}): runs report such edits as made "by someone".`,
      fix: 'Enable the scope drive:drive.metadata:readonly (or drive:drive:readonly) for the app and publish a new app version.',
    })
  }
}

async function checkWiki(
  io: CliIO,
  add: (c: Check) => void,
  baseUrl: string,
  tenantToken: string | undefined,
  spaceId: string | undefined,
  parentNode: string | undefined,
): Promise<void> {
  if (!tenantToken) {
    add({ level: 'warning', title: 'Wiki', message: 'not checked: the app credentials could not be checked.' })
    return
  }
  const client = new FeishuClient({ baseUrl, accessToken: () => tenantToken, clock: { now: io.now, sleep: io.sleep }, maxAttempts: 2, requestTimeoutMs: 20_000 })
  const wiki = new WikiApi(client)
  const noAccess = (what: string, error: FeishuError): Check => ({
    level: 'warning',
    title: 'Wiki',
    message: `the app cannot see ${what} (code ${error.code}), so it could not be checked. With auth: user (the default) what matters is that the authorizing user can edit it; doctor cannot check that without spending the token.`,
    fix: 'With auth: app, add the app to the wiki space as a member (space settings → members).',
  })
  if (spaceId === 'my_library') {
    add({ level: 'warning', title: 'Wiki', message: 'space my_library (the user\'s library) cannot be checked with the app\'s identity.' })
  } else if (spaceId) {
    try {
      const space = await wiki.getSpace(spaceId)
      add({ level: 'ok', title: 'Wiki space', message: `${space.name ? `'${space.name}' ` : ''}(${spaceId}) is reachable.` })
    } catch (error) {
      if (error instanceof FeishuError && error.code === 131006) add(noAccess(`space ${spaceId}`, error))
      else if (error instanceof FeishuError && error.code === 131005) {
        add({ level: 'failed', title: 'Wiki space', message: `space ${spaceId} does not exist (code 131005).`, fix: 'Copy the space id from the space\'s settings page (or its URL) into space-id.' })
      } else add({ level: 'warning', title: 'Wiki space', message: `could not be checked: ${messageOf(error)}` })
    }
  }
  if (parentNode) {
    try {
      const node = await wiki.getNode(parentNode)
      if (spaceId && spaceId !== 'my_library' && node.space_id !== spaceId) {
        add({
          level: 'failed',
          title: 'Wiki parent node',
          message: `${parentNode} ('${node.title}') is in space ${node.space_id}, not in space ${spaceId}.`,
          fix: `Set space-id to ${node.space_id}, or pick a parent node inside space ${spaceId}.`,
        })
      } else {
        add({ level: 'ok', title: 'Wiki parent node', message: `${parentNode} ('${node.title}') is reachable${spaceId ? ` in space ${node.space_id}` : ''}.` })
        if (node.obj_token) await checkDriveMetas(add, client, node.obj_token)
      }
    } catch (error) {
      if (error instanceof FeishuError && error.code === 131006) add(noAccess(`node ${parentNode}`, error))
      else if (error instanceof FeishuError && error.code === 131005) {
        add({ level: 'failed', title: 'Wiki parent node', message: `node ${parentNode} does not exist (code 131005).`, fix: 'Copy the node token from the page URL (…/wiki/<node_token>) into parent-node.' })
      } else add({ level: 'warning', title: 'Wiki parent node', message: `could not be checked: ${messageOf(error)}` })
    }
  }
}
