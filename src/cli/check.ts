// `feishu-wiki-sync check [path…]`: mode: check on this machine. The same loader, converter and check as the
// action, the same lines as its log ("file:line:column: warning: …"), and no secret, token or network call.
import { checkDocs, checkFailure } from '../check/index.js'
import { loadMappings } from '../mappings.js'
import { checkLines } from '../report/check.js'
import { SettingsError, readSettings } from '../settings.js'
import { ExitCode } from '../token-guidance.js'
import type { CheckOptions } from './args.js'
import type { CliIO } from './io.js'

export async function runCheck(options: CheckOptions, io: CliIO): Promise<number> {
  // The action's own input validation: paths exist inside the repository and do not overlap.
  const inputs: Record<string, string> = { mode: 'check', 'fail-on-warning': String(options.failOnWarning) }
  if (options.paths.length <= 1) {
    inputs.path = options.paths[0] ?? 'docs'
    inputs.exclude = options.exclude.join('\n')
  } else {
    const exclude = options.exclude.length > 0 ? `\n  exclude: ${JSON.stringify(options.exclude)}` : ''
    inputs.mappings = options.paths.map((p) => `- path: ${JSON.stringify(p)}${exclude}`).join('\n')
  }
  let settings
  try {
    settings = readSettings((name) => inputs[name] ?? '', { GITHUB_WORKSPACE: options.root })
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error
    for (const p of error.problems) io.err(`error: ${p.input === 'path' || p.input.startsWith('mappings') ? 'path' : p.input}: ${p.message}`)
    return ExitCode.invalidInput
  }
  const result = checkDocs(await loadMappings(settings))
  for (const line of checkLines(result)) io.out(line)
  const failed = checkFailure(result, settings.failOnWarning)
  if (failed) io.err(`error: ${failed.replace('; see the annotations and the job summary.', '.')}`)
  return failed ? ExitCode.failed : 0
}
