// Reads a GitHub Actions workflow file and says whether it keeps the single-use Feishu refresh token safe:
// one run at a time, never cancelled mid-rotation, the token in an environment secret that the job reads and the
// action writes, and a schedule frequent enough to keep the ~7-day refresh token alive.
// Used by `feishu-wiki-sync doctor` and by the action's job summary.
//
// - Workflow syntax: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax
// - concurrency: "at most one running and one pending job"; cancel-in-progress cancels the running one
//   (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency)
// - schedule: POSIX cron, five fields, UTC (https://docs.github.com/en/actions/reference/workflows-and-actions/events-that-trigger-workflows#schedule)
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml'

export type FindingLevel = 'ok' | 'warning' | 'failed'

export interface WorkflowFinding {
  level: FindingLevel
  /** Stable check id: yaml, uses, auth, concurrency, environment, secret-environment, secret-name, schedule. */
  check: string
  message: string
  fix?: string
  /** 1-based line in the workflow file the finding is about, when known (for annotations). */
  line?: number
}

export interface WorkflowInspection {
  usesAction: boolean
  /** The job whose step uses the action (the first one, when several do). */
  job?: string
  concurrency?: { group: string; cancelInProgress: boolean }
  /** The job's `environment` (its name). */
  environment?: string
  /** The step's `secret-environment` input. */
  secretEnvironment?: string
  /** The step's `secret-name` input, or the action's default. */
  secretName?: string
  /** The step's `with:` inputs as written (expressions left as they are). */
  inputs?: Record<string, string>
  schedules: string[]
  /** Longest time between two consecutive scheduled runs (all schedules together), in hours. */
  longestScheduleGapHours?: number
  findings: WorkflowFinding[]
}

export interface InspectOptions {
  /** The secret the caller cares about; a workflow that rotates another secret gets a warning. */
  secretName?: string
}

export const DEFAULT_SECRET_NAME = 'FEISHU_REFRESH_TOKEN'
/** Gap thresholds for the schedule check, hours: daily is the goal; a refresh token lives about 7 days. */
export const SCHEDULE_OK_HOURS = 24
export const SCHEDULE_WARNING_HOURS = 72

const ACTION_USES = /(^|\/)feishu-wiki-sync(\/[^@]*)?(@\S+)?$/i
const LOCAL_USES = /^\.\/?$/

/** True for `uses:` values that run this action: `<owner>/feishu-wiki-sync@<ref>` (or a sub-path) or `./`. */
export function isActionReference(uses: unknown): boolean {
  if (typeof uses !== 'string') return false
  const value = uses.trim()
  return LOCAL_USES.test(value) || ACTION_USES.test(value)
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('${{')

export function inspectWorkflow(yamlText: string, options: InspectOptions = {}): WorkflowInspection {
  const lineCounter = new LineCounter()
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: false })
  const result: WorkflowInspection = { usesAction: false, schedules: [], findings: [] }
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!
    const line = lineCounter.linePos(error.pos[0]).line
    result.findings.push({ level: 'failed', check: 'yaml', message: `Not valid YAML: ${error.message.split('\n')[0]}`, line })
    return result
  }
  const root: unknown = doc.toJS()
  if (!isObject(root)) {
    result.findings.push({ level: 'failed', check: 'yaml', message: 'Not a workflow: the file holds no mapping.' })
    return result
  }
  /** The line of a key (for mappings) or item (for sequences) at `path`. */
  const lineOf = (path: (string | number)[]): number | undefined => {
    const last = path[path.length - 1]
    const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last)
      const node = (pair?.key ?? pair?.value) as { range?: [number, number, number] } | undefined
      if (node?.range) return lineCounter.linePos(node.range[0]).line
    }
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined
  }

  // `on` is a plain string key in YAML 1.2; a YAML 1.1 reader would turn it into `true`.
  const onKey = 'on' in root ? 'on' : 'true' in root ? 'true' : undefined
  const on = onKey ? root[onKey] : undefined
  collectSchedules(on, result)

  // Find the step.
  const jobs = isObject(root.jobs) ? root.jobs : {}
  let found: { jobId: string; job: Json; stepIndex: number; step: Json } | undefined
  for (const [jobId, job] of Object.entries(jobs)) {
    if (!isObject(job) || !Array.isArray(job.steps)) continue
    const stepIndex = job.steps.findIndex((s) => isObject(s) && isActionReference(s.uses))
    if (stepIndex >= 0) {
      found = { jobId, job, stepIndex, step: job.steps[stepIndex] as Json }
      break
    }
  }
  if (!found) {
    result.findings.push({
      level: 'warning',
      check: 'uses',
      message: 'No step of this workflow uses feishu-wiki-sync (`uses: <owner>/feishu-wiki-sync@<ref>` or `uses: ./`).',
    })
    return result
  }
  result.usesAction = true
  result.job = found.jobId
  const jobPath = ['jobs', found.jobId]
  const stepPath = [...jobPath, 'steps', found.stepIndex]
  const stepLine = lineOf(stepPath)
  const inputs = isObject(found.step.with) ? found.step.with : {}
  result.inputs = Object.fromEntries(
    Object.entries(inputs)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  )
  const input = (name: string): string | undefined => {
    const v = inputs[name]
    if (v === undefined || v === null) return undefined
    const s = String(v).trim()
    return s === '' ? undefined : s
  }

  const secretName = input('secret-name') ?? DEFAULT_SECRET_NAME
  result.secretName = secretName
  const secretEnvironment = input('secret-environment')
  if (secretEnvironment !== undefined) result.secretEnvironment = secretEnvironment
  const environment = environmentName(found.job.environment)
  if (environment !== undefined) result.environment = environment
  result.concurrency = concurrencyOf(found.job.concurrency) ?? concurrencyOf(root.concurrency)

  if ((input('auth') ?? 'user').toLowerCase() === 'app') {
    result.findings.push({
      level: 'ok',
      check: 'auth',
      message: `Job '${found.jobId}' uses auth: app (a tenant access token): there is no refresh token to keep alive.`,
      line: stepLine,
    })
    return result
  }

  checkConcurrency(result, found.job.concurrency !== undefined ? lineOf([...jobPath, 'concurrency']) : lineOf(['concurrency']), lineOf(jobPath), secretName)
  checkEnvironments(result, found.jobId, lineOf([...jobPath, 'environment']) ?? lineOf(jobPath), lineOf([...stepPath, 'with', 'secret-environment']) ?? stepLine)
  checkSecretName(result, inputs, secretName, options, stepLine)
  checkSchedule(result, onKey ? (lineOf([onKey, 'schedule']) ?? lineOf([onKey])) : 1)
  return result
}

// ---- concurrency -----------------------------------------------------------------------------------------------

function concurrencyOf(value: unknown): { group: string; cancelInProgress: boolean; cancelExpression?: boolean } | undefined {
  if (typeof value === 'string' && value.trim() !== '') return { group: value.trim(), cancelInProgress: false }
  if (!isObject(value) || value.group === undefined || value.group === null) return undefined
  const cancel = value['cancel-in-progress']
  return {
    group: String(value.group),
    cancelInProgress: cancel === true || cancel === 'true',
    ...(isExpression(cancel) ? { cancelExpression: true } : {}),
  }
}

/** The group the README's workflow uses; a second token (another secret) gets a group of its own. */
export function concurrencyGroupFor(secretName: string): string {
  return secretName.toUpperCase() === DEFAULT_SECRET_NAME ? 'feishu-wiki-sync' : `feishu-wiki-sync-${secretName}`
}

/** Expressions that make every run its own group: no serialisation at all. */
const PER_RUN = /github\.(run_id|run_number|run_attempt|sha)\b/
/** Expressions that give each branch (or event) its own group: runs on two branches spend the token at once. */
const PER_REF = /github\.(ref|ref_name|head_ref|event_name|workflow_ref)\b/

function checkConcurrency(result: WorkflowInspection, line: number | undefined, jobLine: number | undefined, secretName: string): void {
  const c = result.concurrency as (WorkflowInspection['concurrency'] & { cancelExpression?: boolean }) | undefined
  const suggested = `concurrency:\n  group: ${concurrencyGroupFor(secretName)}\n  cancel-in-progress: false`
  if (!c) {
    result.findings.push({
      level: 'failed',
      check: 'concurrency',
      message:
        'No concurrency group: two runs can spend the single-use refresh token at the same time, and the loser ends the token chain.',
      fix: `Add at the top level of the workflow (or on the job):\n${suggested}`,
      line: jobLine,
    })
    return
  }
  if (c.cancelInProgress) {
    result.findings.push({
      level: 'failed',
      check: 'concurrency',
      message:
        'cancel-in-progress is true: a new run can cancel one that has spent the refresh token but not yet saved its successor.',
      fix: 'Set `cancel-in-progress: false` (a pending run still replaces an older pending one, which is harmless).',
      line,
    })
  } else if (c.cancelExpression) {
    result.findings.push({
      level: 'warning',
      check: 'concurrency',
      message: 'cancel-in-progress is an expression: if it ever evaluates to true, a run can be cancelled mid-rotation.',
      fix: 'Set `cancel-in-progress: false`.',
      line,
    })
  }
  if (PER_RUN.test(c.group)) {
    result.findings.push({
      level: 'failed',
      check: 'concurrency',
      message: `The concurrency group '${c.group}' differs for every run, so it serialises nothing.`,
      fix: `Use one fixed group for every workflow that uses this token, e.g.\n${suggested}`,
      line,
    })
  } else if (PER_REF.test(c.group)) {
    result.findings.push({
      level: 'warning',
      check: 'concurrency',
      message: `The concurrency group '${c.group}' differs per branch or event: runs on two branches can spend the token at once.`,
      fix: `Use one fixed group for every workflow that uses this token, e.g. \`group: ${concurrencyGroupFor(secretName)}\`.`,
      line,
    })
  } else if (!c.cancelInProgress && !c.cancelExpression) {
    result.findings.push({
      level: 'ok',
      check: 'concurrency',
      message: `Concurrency group '${c.group}' with cancel-in-progress: false.`,
      line,
    })
  }
}

// ---- environment and secret-environment --------------------------------------------------------------------------

function environmentName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  if (isObject(value) && typeof value.name === 'string') return value.name.trim() || undefined
  return undefined
}

function checkEnvironments(result: WorkflowInspection, jobId: string, envLine: number | undefined, secretEnvLine: number | undefined): void {
  const env = result.environment
  const secretEnv = result.secretEnvironment
  if (env === undefined && secretEnv === undefined) {
    result.findings.push({
      level: 'warning',
      check: 'environment',
      message:
        'The refresh token is a repository secret. GitHub reads repository secrets when a run is queued, so a run queued behind a rotating run starts with an already-spent token (and fails).',
      fix:
        'Keep it in an environment secret instead: create an environment (e.g. wiki-sync), run `feishu-wiki-sync auth --environment wiki-sync …`, ' +
        `then set \`environment: wiki-sync\` on job '${jobId}' and \`secret-environment: wiki-sync\` on the step.`,
      line: envLine,
    })
    return
  }
  if (env !== undefined && secretEnv === undefined) {
    result.findings.push({
      level: 'failed',
      check: 'secret-environment',
      message: `Job '${jobId}' runs in environment '${env}', but the step has no secret-environment: the action saves each new token into the repository secret, while the job reads '${env}''s secret of that name whenever one exists.`,
      fix: `Add \`secret-environment: ${env}\` to the step's \`with:\`.`,
      line: secretEnvLine,
    })
    return
  }
  if (env === undefined && secretEnv !== undefined) {
    result.findings.push({
      level: 'failed',
      check: 'secret-environment',
      message: `The step saves the token into environment '${secretEnv}', but job '${jobId}' has no environment, so it cannot read that secret: the next run gets a stale token.`,
      fix: `Add \`environment: ${secretEnv}\` to job '${jobId}'.`,
      line: envLine,
    })
    return
  }
  if (isExpression(env) || isExpression(secretEnv)) {
    result.findings.push({
      level: 'warning',
      check: 'secret-environment',
      message: `environment '${env}' and secret-environment '${secretEnv}' use expressions; they must resolve to the same environment.`,
      line: secretEnvLine,
    })
    return
  }
  // Environment names are case-insensitive on GitHub.
  if (env!.toLowerCase() !== secretEnv!.toLowerCase()) {
    result.findings.push({
      level: 'failed',
      check: 'secret-environment',
      message: `secret-environment '${secretEnv}' differs from the job's environment '${env}': the action saves the token where the next run does not read it.`,
      fix: `Use the same environment in both places (e.g. \`secret-environment: ${env}\`).`,
      line: secretEnvLine,
    })
    return
  }
  result.findings.push({
    level: 'ok',
    check: 'environment',
    message: `The token is kept in environment '${env}', which the job runs in (environment secrets are read when the job starts).`,
    line: secretEnvLine,
  })
}

// ---- secret name -----------------------------------------------------------------------------------------------

export function referencedSecret(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const m = /secrets\.([A-Za-z_][A-Za-z0-9_]*)/.exec(value) ?? /secrets\[\s*['"]([^'"]+)['"]\s*\]/.exec(value)
  return m?.[1]
}

function checkSecretName(result: WorkflowInspection, inputs: Json, secretName: string, options: InspectOptions, line: number | undefined): void {
  const refreshInput = inputs['refresh-token']
  if (refreshInput === undefined || refreshInput === null || String(refreshInput).trim() === '') {
    result.findings.push({
      level: 'failed',
      check: 'secret-name',
      message: 'The step passes no refresh-token.',
      fix: `Add \`refresh-token: \${{ secrets.${secretName} }}\` to the step's \`with:\`.`,
      line,
    })
  } else {
    const read = referencedSecret(refreshInput)
    if (read !== undefined && read.toUpperCase() !== secretName.toUpperCase()) {
      result.findings.push({
        level: 'failed',
        check: 'secret-name',
        message: `The step reads the token from secret ${read} but saves each new token into ${secretName}: the next run reads a spent token.`,
        fix: `Make them the same: \`refresh-token: \${{ secrets.${secretName} }}\` (or \`secret-name: ${read}\`).`,
        line,
      })
    }
  }
  if (options.secretName && options.secretName.toUpperCase() !== secretName.toUpperCase()) {
    result.findings.push({
      level: 'warning',
      check: 'secret-name',
      message: `This workflow rotates secret ${secretName}, not ${options.secretName}.`,
      fix: `Check the secret name: pass --secret-name ${secretName}, or set \`secret-name: ${options.secretName}\` in the workflow.`,
      line,
    })
  }
}

// ---- schedule --------------------------------------------------------------------------------------------------

function collectSchedules(on: unknown, result: WorkflowInspection): void {
  if (!isObject(on) || !Array.isArray(on.schedule)) return
  for (const entry of on.schedule) {
    if (isObject(entry) && typeof entry.cron === 'string') result.schedules.push(entry.cron.trim())
  }
}

function checkSchedule(result: WorkflowInspection, line: number | undefined): void {
  const fix = "Run it daily, e.g.\non:\n  schedule:\n    - cron: '17 3 * * *'   # not on minute 0: scheduled runs are delayed most then"
  if (result.schedules.length === 0) {
    result.findings.push({
      level: 'failed',
      check: 'schedule',
      message:
        'No schedule: the refresh token expires about 7 days after it was issued, so a quiet week without pushes ends the token chain.',
      fix,
      line,
    })
    return
  }
  const valid: string[] = []
  for (const cron of result.schedules) {
    try {
      parseCron(cron)
      valid.push(cron)
    } catch (error) {
      result.findings.push({ level: 'failed', check: 'schedule', message: `Invalid cron '${cron}': ${(error as Error).message}.`, line })
    }
  }
  if (valid.length === 0) return
  const gap = longestCronGapHours(valid)
  if (gap === undefined) {
    result.findings.push({ level: 'failed', check: 'schedule', message: `The schedule (${valid.join('; ')}) never runs.`, fix, line })
    return
  }
  result.longestScheduleGapHours = gap
  const described = `The schedule (${valid.map((c) => `'${c}'`).join(', ')}) leaves up to ${formatHours(gap)} between runs`
  if (gap <= SCHEDULE_OK_HOURS) {
    result.findings.push({ level: 'ok', check: 'schedule', message: `${described}.`, line })
  } else if (gap <= SCHEDULE_WARNING_HOURS) {
    result.findings.push({
      level: 'warning',
      check: 'schedule',
      message: `${described}; scheduled runs can be delayed or dropped, and the refresh token lives about 7 days.`,
      fix,
      line,
    })
  } else {
    result.findings.push({
      level: 'failed',
      check: 'schedule',
      message: `${described}: one late or dropped run and the ~7-day refresh token expires.`,
      fix,
      line,
    })
  }
}

export function formatHours(hours: number): string {
  const round = (n: number) => String(Math.round(n * 10) / 10)
  if (hours < 1) {
    const minutes = Math.round(hours * 60)
    return minutes < 1 ? 'less than a minute' : `${minutes} minute${minutes === 1 ? '' : 's'}`
  }
  if (hours < 48) return `${round(hours)} hour${round(hours) === '1' ? '' : 's'}`
  return `${round(hours / 24)} days`
}

// ---- a small cron evaluator ------------------------------------------------------------------------------------
// Five fields (minute hour day-of-month month day-of-week), each `*`, a number, a range `a-b`, a step (`*/n`,
// `a-b/n`, `a/n`), or a comma list of those; month and weekday names (JAN, MON) too. As in Vixie cron, when both
// day fields are restricted (neither starts with `*`) a day matches if EITHER matches.

export interface CronSpec {
  minutes: ReadonlySet<number>
  hours: ReadonlySet<number>
  daysOfMonth: ReadonlySet<number>
  months: ReadonlySet<number>
  daysOfWeek: ReadonlySet<number>
  domStar: boolean
  dowStar: boolean
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

interface FieldDef {
  name: string
  min: number
  max: number
  names?: string[]
  namesOffset?: number
}

const FIELDS: FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesOffset: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesOffset: 0 },
]

export function parseCron(expression: string): CronSpec {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== 5 || parts[0] === '') {
    throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}`)
  }
  const sets = parts.map((text, i) => parseField(text, FIELDS[i]!))
  const dow = new Set([...sets[4]!].map((d) => (d === 7 ? 0 : d)))
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek: dow,
    domStar: parts[2]!.startsWith('*'),
    dowStar: parts[4]!.startsWith('*'),
  }
}

function parseField(text: string, def: FieldDef): Set<number> {
  const out = new Set<number>()
  for (const item of text.split(',')) {
    if (item === '') throw new Error(`empty list item in the ${def.name} field '${text}'`)
    const [rangeText, stepText, ...extra] = item.split('/')
    if (extra.length > 0 || rangeText === undefined || rangeText === '') throw new Error(`bad ${def.name} '${item}'`)
    let step = 1
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new Error(`bad step '${stepText}' in the ${def.name} field`)
      step = Number(stepText)
    }
    let from: number
    let to: number
    if (rangeText === '*') {
      from = def.min
      to = def.max === 7 ? 6 : def.max
    } else {
      const bounds = rangeText.split('-')
      if (bounds.length > 2) throw new Error(`bad range '${rangeText}' in the ${def.name} field`)
      from = value(bounds[0]!, def)
      // `a/n` means a, a+n, … up to the field's maximum.
      to = bounds.length === 2 ? value(bounds[1]!, def) : stepText !== undefined ? def.max : from
      if (from > to) throw new Error(`range ${rangeText} runs backwards in the ${def.name} field`)
    }
    for (let v = from; v <= to; v += step) out.add(v)
  }
  return out
}

function value(text: string, def: FieldDef): number {
  let n: number
  if (/^\d+$/.test(text)) {
    n = Number(text)
  } else {
    const index = def.names?.indexOf(text.toUpperCase()) ?? -1
    if (index < 0) throw new Error(`'${text}' is not a valid ${def.name}`)
    n = index + (def.namesOffset ?? 0)
  }
  if (n < def.min || n > def.max) throw new Error(`${def.name} ${n} is outside ${def.min}-${def.max}`)
  return n
}

export function cronMatchesDay(spec: CronSpec, date: Date): boolean {
  if (!spec.months.has(date.getUTCMonth() + 1)) return false
  const dom = spec.daysOfMonth.has(date.getUTCDate())
  const dow = spec.daysOfWeek.has(date.getUTCDay())
  return spec.domStar || spec.dowStar ? dom && dow : dom || dow
}

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
/** Four years from a Monday, so leap days and monthly/yearly schedules are seen; weekly patterns repeat inside. */
const WINDOW_START = Date.UTC(2024, 0, 1)
const WINDOW_DAYS = 4 * 366 + 7

/**
 * The longest time between two consecutive runs of all the given schedules together, in hours (UTC, as GitHub
 * runs them). Undefined when they never run. Throws on an invalid expression.
 */
export function longestCronGapHours(expressions: string[]): number | undefined {
  const specs = expressions.map(parseCron)
  const minutesOfDay = new Uint8Array(1440)
  let previous: number | undefined
  let longest = 0
  let runs = 0
  for (let day = 0; day < WINDOW_DAYS; day++) {
    const dayStart = WINDOW_START + day * DAY_MS
    const date = new Date(dayStart)
    minutesOfDay.fill(0)
    let any = false
    for (const spec of specs) {
      if (!cronMatchesDay(spec, date)) continue
      for (const h of spec.hours) for (const m of spec.minutes) minutesOfDay[h * 60 + m] = 1
      any = true
    }
    if (!any) continue
    for (let i = 0; i < 1440; i++) {
      if (!minutesOfDay[i]) continue
      const t = dayStart + i * MINUTE_MS
      if (previous !== undefined) longest = Math.max(longest, t - previous)
      previous = t
      runs++
    }
  }
  if (runs === 0) return undefined
  // A single run in four years (say, only on 29 February): the gap is at least the whole window.
  if (runs === 1) return (WINDOW_DAYS * DAY_MS) / 3_600_000
  return longest / 3_600_000
}
