import { placeCall } from '../src/cli/caller/twilio-caller';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { waitFor } from './helpers/wait';

/**
 * Answer values and transcripts are health data. A debug log level alone must not write them;
 * only LOG_HEALTH_DATA=true does. The test bridge's logger runs at debug level throughout.
 */
async function callAndCollectLogs(env: Record<string, string>): Promise<Array<Record<string, unknown>>> {
  const t: TestBridge = await startBridge(env);
  try {
    // consent yes, chest pain yes → emergency red flag; the call ends after the emergency prompt.
    await placeCall({ baseUrl: t.base, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1'] });
    await waitFor(() => t.logs.some((l) => l['msg'] === 'call ended'), 5000, 'call ended');
    return t.logs;
  } finally {
    await t.close();
  }
}

const HEALTH_FIELDS = ['value', 'transcript'];

test('at LOG_LEVEL=debug without LOG_HEALTH_DATA, no answer value or transcript is logged', async () => {
  const logs = await callAndCollectLogs({ LOG_LEVEL: 'debug' });
  expect(logs.some((l) => l['msg'] === 'answer recorded' && l['item'] === 'chest_pain')).toBe(true);
  expect(logs.some((l) => l['msg'] === 'red flag raised')).toBe(true);
  expect(logs.filter((l) => HEALTH_FIELDS.some((field) => field in l))).toEqual([]);
  expect(logs.map((l) => l['msg'])).not.toContain('answer detail');
  expect(logs.map((l) => l['msg'])).not.toContain('red flag detail');
}, 30_000);

test('LOG_HEALTH_DATA=true logs answer values and red flag values at debug level', async () => {
  const logs = await callAndCollectLogs({ LOG_LEVEL: 'debug', LOG_HEALTH_DATA: 'true' });
  expect(logs).toContainEqual(expect.objectContaining({ msg: 'answer detail', item: 'chest_pain', value: true, level: 20 }));
  expect(logs).toContainEqual(expect.objectContaining({ msg: 'red flag detail', item: 'chest_pain', value: true, level: 20 }));
}, 30_000);
