import type { AddressInfo } from 'node:net';
import express from 'express';
import { CallRegistry } from '../../call/call-registry';
import { createLogger } from '../../observability/logger';
import { createMetrics } from '../../observability/metrics';
import { twilioWebhooks } from './webhook';

/**
 * The voice webhook does not keep a caller ringing on a slow store: a call-back lookup that takes
 * over 2 s is given up (the call is answered unlinked), and the match that lands later is released
 * so the patient is not held by a call that is not linked to them.
 */
test('a call-back lookup slower than 2 s: the call is answered unlinked, and the late match is let go', async () => {
  let resolveMatch: (m: { attemptId: string; questionnaire: string; personal: boolean }) => void = () => undefined;
  const released: string[] = [];
  const app = express();
  app.use(
    twilioWebhooks({
      signature: { authToken: undefined, publicUrl: 'http://bridge.test' },
      registry: new CallRegistry(10),
      questionnaireIds: new Set(['post-discharge', 'follow-up']),
      defaultQuestionnaire: 'post-discharge',
      questionnaireByNumber: {},
      onUnknownQuestionnaire: 'default',
      metrics: createMetrics(),
      logger: createLogger({ level: 'silent' }),
      attempts: {
        context: async () => undefined,
        status: async () => false,
        matchCallback: () => new Promise((resolve) => (resolveMatch = resolve)),
        releaseCallback: async (id) => {
          released.push(id);
        },
      },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ CallSid: 'CAslow', From: '+966501112222', To: '+966112345678', Direction: 'inbound' }).toString(),
    });
    const twiml = await res.text();
    expect(res.status).toBe(200);
    expect(twiml).toContain('<Parameter name="questionnaire" value="post-discharge"/>');
    expect(twiml).not.toContain('name="attempt"');
    expect(released).toEqual([]); // answered while the lookup was still pending
    resolveMatch({ attemptId: '00000000-0000-4000-8000-000000000abc', questionnaire: 'follow-up', personal: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(released).toEqual(['00000000-0000-4000-8000-000000000abc']);
  } finally {
    server.close();
  }
});
