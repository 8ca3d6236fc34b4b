#!/usr/bin/env node
// Entry point of the `feishu-wiki-sync` bin (bundled to dist/cli/index.js by ncc).
import { main } from './main.js'

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
