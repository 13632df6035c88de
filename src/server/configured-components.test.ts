import { configuredComponents, webhooksComponent } from './configured-components';

const embedded = { ttsProvider: 'espeak' as const, elevenLabs: undefined, webhook: undefined };

test('unconfigured webhooks and the embedded voice are ok (information, not a fault), each with a code', () => {
  expect(configuredComponents(embedded)).toEqual({
    voice: { status: 'ok', code: 'embedded', reason: expect.any(String) },
    webhooks: { status: 'ok', code: 'not_configured', reason: expect.any(String) },
  });
  const cloud = configuredComponents({ ttsProvider: 'elevenlabs', elevenLabs: { apiKey: 'k', voiceId: 'v', url: undefined }, webhook: { url: 'https://clinic.example/hooks', secret: 'whsec_x', events: [] } });
  expect(cloud.voice).toMatchObject({ status: 'ok', code: 'cloud' });
  expect(cloud.webhooks).toMatchObject({ status: 'ok', code: 'configured' });
});

test('webhooks are degraded once the oldest undelivered event has waited over 5 minutes', () => {
  expect(webhooksComponent(embedded, 0)).toMatchObject({ status: 'ok', code: 'not_configured' });
  expect(webhooksComponent(embedded, 300)).toMatchObject({ status: 'ok' });
  expect(webhooksComponent(embedded, 301)).toEqual({ status: 'degraded', code: 'backlog', reason: 'the oldest undelivered event was queued 301 s ago' });
});
