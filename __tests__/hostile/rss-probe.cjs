// Preloaded into the action's process (NODE_OPTIONS=--require …) by the hostile-input tests: on exit, writes the
// process's peak resident set size in kB (process.resourceUsage().maxRSS) into $FWS_RSS_FILE.
const fs = require('node:fs')

process.on('exit', () => {
  const file = process.env.FWS_RSS_FILE
  if (!file) return
  try {
    fs.writeFileSync(file, String(process.resourceUsage().maxRSS))
  } catch {
    // best effort
  }
})
