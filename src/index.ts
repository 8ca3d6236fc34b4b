// The runner starts this file (action.yml: runs.main = dist/index.js).
import { run } from './main.js'

if (process.env.GITHUB_ACTIONS !== 'true') {
  // Started by hand: say what this file is instead of complaining about missing runner variables.
  process.stderr.write(
    'dist/index.js is the feishu-wiki-sync GitHub Action: it runs as a workflow step (uses: feishu-wiki-sync/feishu-wiki-sync@v1), ' +
      'with its inputs and the runner\'s GITHUB_* variables.\n' +
      'On your machine use the command line instead: `npx feishu-wiki-sync --help` (from a clone: `node dist/cli/index.js --help`), ' +
      'or `npm run playground` to try the action against local emulators.\n',
  )
  process.exitCode = 2
} else {
  const { cancelled } = await run()
  // Cancelled: the summary is written; calls still in flight past the grace period must not keep the job alive.
  if (cancelled) process.exit()
}
