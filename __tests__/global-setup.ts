// The action runs on the runner's Node 24 (action.yml `runs.using: node24`); the tests must too.
// `npm test` puts node_modules/.bin first on PATH, where the `node@24` dev dependency lives.
export default function setup(): void {
  const major = Number(process.versions.node.split('.')[0])
  if (major !== 24) {
    throw new Error(
      `Tests must run on Node 24 like the runner, but this is Node ${process.version}. ` +
        'Run them with `npm test`, which uses the node@24 dev dependency.',
    )
  }
}
