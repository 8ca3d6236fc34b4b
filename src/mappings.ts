// Several docs folders in one run: each mapping is loaded and published on its own (its pages, results and
// safety cap), with the one access token of the run. The loop lives here, outside src/sync, which publishes
// exactly one folder into one parent.
import type { Mapping, Settings } from './settings.js'
import { type DocsSet, loadDocs } from './sync/source/docs.js'
import { publishDocs } from './sync/index.js'
import { type OtherMappings, type PageResult, type PublishContext, type PublishResult, countPages } from './sync/types.js'

export interface LoadedMapping {
  mapping: Mapping
  /** The settings seen by the publishing engine for this mapping (its path, space, parent and exclude). */
  settings: Settings
  docs: DocsSet
}

/** The run's settings as the engine sees them for one mapping. */
export function settingsFor(settings: Settings, mapping: Mapping): Settings {
  return Object.freeze({
    ...settings,
    docsPath: mapping.docsPath,
    docsPathInRepo: mapping.docsPathInRepo,
    exclude: mapping.exclude,
    spaceId: mapping.spaceId,
    parentNode: mapping.parentNode,
    mappings: [mapping],
  })
}

/** Step 1, local only: every mapping's files, read and converted, before the token is spent. */
export async function loadMappings(settings: Settings): Promise<LoadedMapping[]> {
  const loaded: LoadedMapping[] = []
  for (const mapping of settings.mappings) {
    const own = settingsFor(settings, mapping)
    loaded.push({ mapping, settings: own, docs: await loadDocs(own) })
  }
  return loaded
}

export interface MappingResult {
  /** The mapping's path in the repository. */
  path: string
  result: PublishResult
}

/** One mapping's result, or the run's: every page of every mapping, the counts summed, each mapping's own result. */
export interface PublishedDocs extends PublishResult {
  /** Set when the run has more than one mapping: the summary groups the pages by mapping. */
  byMapping?: MappingResult[]
}

export type PublishMappingsContext = Omit<PublishContext, 'settings' | 'docs' | 'otherMappings'> & {
  settings: Settings
  docs: readonly LoadedMapping[]
}

/**
 * Step 4 for every mapping, with the one access token of the run. One mapping is published exactly as before.
 * Several are published side by side (the client's pacer holds them all to Feishu's limits together), each
 * with its own pages, results and safety cap; a page's content waits until every mapping's nodes exist, so a
 * link into another mapping reaches its page. One mapping failing (a bad parent-node) never stops the others.
 */
export async function publishMappings(ctx: PublishMappingsContext): Promise<PublishedDocs> {
  const { docs: loaded, ...shared } = ctx
  if (loaded.length === 1) return publishDocs({ ...shared, settings: loaded[0]!.settings, docs: loaded[0]!.docs })

  const directory = new PageDirectory(loaded.length)
  const byMapping = await Promise.all(
    loaded.map(async (one, index): Promise<MappingResult> => {
      const otherMappings = directory.view(index)
      try {
        return { path: one.mapping.docsPathInRepo, result: await publishDocs({ ...shared, settings: one.settings, docs: one.docs, otherMappings }) }
      } catch (error) {
        return { path: one.mapping.docsPathInRepo, result: failedMapping(one, error) }
      } finally {
        otherMappings.nodesKnown(new Map()) // no-op when the run already said; else it will never have nodes
      }
    }),
  )
  const pages = byMapping.flatMap((m) => m.result.pages)
  // A cancel or the time budget stops every mapping of the run: the lead counts what all of them left.
  const stops = byMapping.flatMap((m) => (m.result.stopped ? [m.result.stopped] : []))
  return {
    pages,
    ...(stops.length > 0 ? { stopped: { reason: stops[0]!.reason, left: sum(stops, (s) => s.left) } } : {}),
    counts: countPages(pages),
    writeCalls: sum(byMapping, (m) => m.result.writeCalls),
    readCalls: sum(byMapping, (m) => m.result.readCalls),
    notes: [],
    dryRun: ctx.settings.dryRun,
    byMapping,
  }
}

/** Node tokens of every mapping's pages, shared between the mappings of one run. */
class PageDirectory {
  private readonly tokens = new Map<string, string>()
  private readonly known = new Set<number>()
  private readonly everyone: Promise<void>
  private release!: () => void

  constructor(private readonly size: number) {
    this.everyone = new Promise((resolve) => (this.release = resolve))
  }

  view(index: number): OtherMappings {
    return {
      nodesKnown: (tokens) => {
        if (this.known.has(index)) return
        this.known.add(index)
        for (const [repoPath, token] of tokens) this.tokens.set(repoPath, token)
        if (this.known.size === this.size) this.release()
      },
      allKnown: () => this.everyone,
      nodeToken: (repoPath) => this.tokens.get(repoPath),
    }
  }
}

/** A mapping that failed as a whole (its space or parent could not be read): one failed row, the others go on. */
function failedMapping(one: LoadedMapping, error: unknown): PublishResult {
  const reason = error instanceof Error ? error.message : String(error)
  const pages: PageResult[] = [{ path: `${one.mapping.docsPathInRepo}/`, title: '', status: 'failed', reason, warnings: [] }]
  return { pages, counts: countPages(pages), writeCalls: 0, readCalls: 0, notes: [`Nothing of \`${one.mapping.docsPathInRepo}\` was published: ${reason}`] }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((n, item) => n + of(item), 0)
}
