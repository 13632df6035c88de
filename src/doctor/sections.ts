/**
 * README sections the doctor's checks point to (anchors of README.md headings; a test checks
 * every one exists). The README's Troubleshooting section maps each check to one of these.
 */
export const SECTIONS = {
  doctor: '#troubleshooting',
  proxy: '#behind-a-tls-terminating-proxy',
  drops: '#troubleshooting-the-call-connects-then-drops--connection-lost',
  httpErrors: '#troubleshooting-http-error-answers',
  twilioNumber: '#pointing-a-twilio-number-at-it',
  maqsam: '#connecting-a-maqsam-voice-agent-integration',
  diagnosticStreams: '#diagnostic-streams',
  inside: '#inside-checks-get-apiv1diagnostics',
  voice: '#voice-answers',
  storage: '#storage',
  webhooks: '#webhooks',
  configuration: '#configuration',
} as const;
