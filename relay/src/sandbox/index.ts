/** The sandbox line's public surface: the relay wires it in sandbox mode; tests use the signer and the URLs. */
export { registerSandbox, sandboxPlivoUrls, SANDBOX_AUTH_ID, type SandboxLog, type SandboxOptions } from './sandbox.js';
export { signedHeaders, signV2, signV3, v3BaseString, newNonce, type SignParams, type WebhookKind } from './sign.js';
export { sendWebhook, type WebhookRequest, type WebhookResult } from './webhook.js';
export type { CallInput, CallResult, CallStep } from './call-flow.js';
export { sandboxClassifierUrl } from './classifier-sim.js';
