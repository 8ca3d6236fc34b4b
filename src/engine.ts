// Everything a run needs once its inputs are valid: the Markdown pipeline, Octokit, libsodium, YAML. main.ts
// loads this module with one dynamic import after validating the inputs, so a run with bad inputs reports them
// without compiling the bulk of the bundle (ncc emits it as a separate chunk).
export { getTenantAccessToken } from './feishu/auth.js'
export { FeishuClient } from './feishu/client.js'
export { checkWorkflow } from './keepalive.js'
export { checkDocs, checkFailure } from './check/index.js'
export { loadMappings, publishMappings } from './mappings.js'
export { loadDocs, publishDocs } from './sync/index.js'
export { openSecretStore, persistRefreshToken, rotateRefreshToken } from './token-chain.js'
