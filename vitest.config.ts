import os from 'node:os'
import { defineConfig } from 'vitest/config'

// The files that run many copies of `node dist/index.js` on a scaled clock and keep both cores busy by
// themselves: they run one at a time, after the rest, so none of them is starved by another (a starved scaled
// timeout fires early and fails a run that would pass).
const RUN_HEAVY = ['__tests__/faults/matrix.test.ts', '__tests__/hostile/hostile.test.ts', '__tests__/hostile/untrusted.test.ts']

export default defineConfig({
  test: {
    globalSetup: ['__tests__/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'tests',
          include: ['__tests__/**/*.test.ts'],
          exclude: RUN_HEAVY,
          // Vitest's default (one worker less than the cores) is one worker on a 2-core machine, where most of
          // these files wait on loopback HTTP and child processes: two at once nearly halve their wall time.
          maxWorkers: Math.max(2, os.availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'run-heavy', include: RUN_HEAVY, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
})
