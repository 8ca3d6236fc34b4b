// YAML front matter → a plain object. Invalid YAML or a front matter that is not a mapping gives {} and a warning.
import YAML from 'yaml'
import type { WarningList } from './warnings.js'

/** Alias expansion cap handed to `yaml` (its own default), so an alias bomb cannot blow up. */
const MAX_YAML_ALIASES = 100

/** `firstLine`: source line of the YAML text's first line (the line after the opening `---`). */
export function parseFrontMatter(yamlText: string, firstLine: number, warnings: WarningList): Record<string, unknown> {
  const at = (line = 1) => ({ line: firstLine + line - 1, column: 1 })
  const document = YAML.parseDocument(yamlText)
  const error = document.errors[0]
  if (error) {
    warnings.add('front-matter-invalid', at(error.linePos?.[0].line), `Front matter is not valid YAML, so it is ignored: ${error.message.split('\n')[0]}`)
    return {}
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES })
  } catch (cause) {
    warnings.add('front-matter-invalid', at(), `Front matter cannot be read, so it is ignored: ${(cause as Error).message}`)
    return {}
  }
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    warnings.add('front-matter-invalid', at(), 'Front matter must be a YAML mapping (key: value lines), so it is ignored.')
    return {}
  }
  return value as Record<string, unknown>
}
