// The runner starts this file (action.yml: runs.main = dist/index.js).
import { run } from './main.js'

const { cancelled } = await run()
// Cancelled: the summary is written; calls still in flight past the grace period must not keep the job alive.
if (cancelled) process.exit()
