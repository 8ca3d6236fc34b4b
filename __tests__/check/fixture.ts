// A docs tree with every problem mode: check looks for, each on a known line (shared by the action and CLI tests).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const PROBLEM_TREE: Record<string, string | Uint8Array> = {
  'docs/index.md': [
    '# Home', //                                                  1
    '', //                                                        2
    'See [the guide](guide/intro.md).', //                        3  fine
    'A [broken link](nothere.md) here.', //                       4  no such file
    'An [excluded page](drafts/wip.md).', //                      5  left out by exclude
    'A [bad anchor](guide/intro.md#nope).', //                    6  no such heading in the target
    'A [good anchor](guide/intro.md#setup-steps).', //            7  fine
    '[Top](#home) and [missing](#nowhere).', //                   8  #nowhere: no such heading here
    '', //                                                        9
    '![logo](img/logo.png) ![gone](img/gone.png)', //             10 gone.png missing
    '', //                                                        11
    '<video src="intro.mp4"></video>', //                         12 HTML left out
    '', //                                                        13
    '```mermaid', //                                              14 empty diagram
    '```', //                                                     15
    '',
  ].join('\n'),
  'docs/guide/intro.md': '# Intro\n\n## Setup steps\n\nBack [home](../index.md) and [to the root](/README.md).\n',
  'docs/guide/other.md': '# Intro\n\nA second page with the same title.\n',
  'docs/drafts/wip.md': '# Work in progress\n',
  'docs/bad.md': Buffer.concat([Buffer.from('# Bad\n\nline three is fine\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a])]),
  'docs/img/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'README.md': '# Repo\n',
}

/** What the check must say about PROBLEM_TREE with exclude drafts/**: level, file, line, and words of the message. */
export const PROBLEM_FINDINGS: { level: 'error' | 'warning'; file: string; line: number; says: string }[] = [
  { level: 'error', file: 'docs/bad.md', line: 4, says: 'would fail to publish' },
  { level: 'warning', file: 'docs/guide/intro.md', line: 1, says: 'same title as docs/guide/other.md' },
  { level: 'warning', file: 'docs/guide/other.md', line: 1, says: 'same title as docs/guide/intro.md' },
  { level: 'warning', file: 'docs/index.md', line: 4, says: 'there is no page, file or folder docs/nothere.md' },
  { level: 'warning', file: 'docs/index.md', line: 5, says: 'docs/drafts/wip.md is left out of the wiki by exclude' },
  { level: 'warning', file: 'docs/index.md', line: 6, says: 'no heading of docs/guide/intro.md has the anchor #nope' },
  { level: 'warning', file: 'docs/index.md', line: 8, says: 'no heading of this file has the anchor #nowhere' },
  { level: 'warning', file: 'docs/index.md', line: 10, says: 'docs/img/gone.png is not a file' },
  { level: 'warning', file: 'docs/index.md', line: 12, says: 'HTML <video> left out' },
  { level: 'warning', file: 'docs/index.md', line: 14, says: 'mermaid diagram fence is empty' },
]

export function writeTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fws-check-'))
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
    fs.writeFileSync(path.join(root, file), content)
  }
  return root
}
