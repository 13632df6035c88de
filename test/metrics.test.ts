import { spawnSync } from 'node:child_process';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { createMetrics } from '../src/observability/metrics';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const havePromtool = promtool.status === 0;
// promtool comes with Debian's prometheus package, which .ci/run installs; without it, this is skipped.
const withPromtool = havePromtool ? test : test.skip; // reason: needs promtool, which .ci/run installs

let t: TestBridge;
let text = '';
beforeAll(async () => {
  t = await startBridge();
  await placeCall({ baseUrl: t.base, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1', '1'] });
  text = await (await fetch(`${t.base}/metrics`)).text();
});
afterAll(() => t.close());

describe('/metrics after a call', () => {
  withPromtool('passes promtool check metrics', () => {
    const out = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`.trim()).toBe('');
    expect(out.status).toBe(0);
  });

  test('every bridge metric is exported with help text', () => {
    for (const name of [
      'bridge_calls_active',
      'bridge_calls_total',
      'bridge_reply_latency_seconds',
      'bridge_inbound_frame_seconds',
      'bridge_playout_lateness_seconds',
      'bridge_ws_messages_rejected_total',
      'bridge_tts_seconds',
    ]) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
    }
  });

  test('the call is counted, by status, and its keypad replies are timed', () => {
    expect(text).toMatch(/^bridge_calls_total\{provider="twilio",status="escalated"\} 1$/m);
    expect(text).toMatch(/^bridge_calls_active\{provider="twilio"\} 0$/m);
    expect(text).toMatch(/^bridge_reply_latency_seconds_count\{provider="twilio",input="dtmf"\} 3$/m);
    expect(text).toMatch(/^bridge_red_flags_total\{action="emergency"\} 1$/m);
    const frames = /^bridge_inbound_frame_seconds_count (\d+)$/m.exec(text);
    expect(Number(frames?.[1])).toBeGreaterThan(10);
    const lateness = /^bridge_playout_lateness_seconds_count (\d+)$/m.exec(text);
    expect(Number(lateness?.[1])).toBeGreaterThan(10);
  });
});

describe('a fresh registry (no call yet)', () => {
  // Prometheus's "avoid missing metrics": a series that first appears at its first event makes
  // rate() and increase() miss that event, and alerts on absent() misfire.
  test('exposes every series with known label values at 0, so rate() works from the first scrape', async () => {
    const fresh = await createMetrics().registry.metrics();
    for (const series of [
      'bridge_barge_ins_total{provider="twilio"} 0',
      'bridge_barge_ins_total{provider="maqsam"} 0',
      'bridge_stt_reconnects_total{outcome="success"} 0',
      'bridge_stt_reconnects_total{outcome="failure"} 0',
      'bridge_calls_active{provider="maqsam"} 0',
      'bridge_calls_total{provider="maqsam",status="completed"} 0',
      'bridge_calls_total{provider="twilio",status="rejected_busy"} 0',
      'bridge_reply_latency_seconds_count{provider="maqsam",input="voice"} 0',
      'bridge_red_flags_total{action="transfer"} 0',
      'bridge_stt_connect_seconds_count{outcome="timeout"} 0',
      'bridge_webhook_requests_total{route="voice",outcome="busy"} 0',
      'bridge_twilio_call_status_total{status="no-answer"} 0',
    ]) {
      expect(fresh.split('\n')).toContain(series);
    }
  });

  withPromtool('passes promtool check metrics', async () => {
    const out = spawnSync('promtool', ['check', 'metrics'], { input: await createMetrics().registry.metrics(), encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`.trim()).toBe('');
    expect(out.status).toBe(0);
  });
});
