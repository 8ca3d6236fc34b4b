// Small concurrency helpers. The FeishuClient's pacer already keeps every API class inside its documented
// rate; these only decide how many requests may be in flight, so waits of one class overlap with work of another.

/** Runs fn over items with at most `limit` in flight; results in input order. Rejects with the first error. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

/** A work queue with a fixed number of workers; jobs may be added while it runs. */
export class WorkQueue {
  private readonly jobs: (() => Promise<void>)[] = []
  private running = 0
  private idleWaiters: (() => void)[] = []

  constructor(private readonly limit: number) {}

  push(job: () => Promise<void>): void {
    this.jobs.push(job)
    this.pump()
  }

  /** Resolves when no job is queued or running. Jobs must not throw (catch inside). */
  idle(): Promise<void> {
    if (this.running === 0 && this.jobs.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private pump(): void {
    while (this.running < this.limit && this.jobs.length > 0) {
      const job = this.jobs.shift()!
      this.running++
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.running--
          this.pump()
          if (this.running === 0 && this.jobs.length === 0) {
            const waiters = this.idleWaiters
            this.idleWaiters = []
            for (const w of waiters) w()
          }
        })
    }
  }
}
