import twilio from 'twilio';
import { redactPhone } from '../observability/logger';
import { verdicts, type Verdict } from './check-kit';
import { describeError } from './http-client';
import { SECTIONS } from './sections';
import type { DoctorOptions } from './types';

/**
 * With --twilio: the account's phone numbers (TWILIO_FROM_NUMBER, else every number) through
 * Twilio's REST API, read only: each number's voice webhook must be `<base>/twilio/voice` (POST)
 * and its status callback `<base>/twilio/status`, where base is the bridge's PUBLIC_URL. Numbers
 * are shown by their last four digits only.
 */
export async function checkTwilioNumbers(rest: DoctorOptions['twilioRest'], base: string): Promise<Verdict[]> {
  const v = verdicts('twilio.numbers', 'phone numbers point at this bridge', SECTIONS.twilioNumber, 'listing the account\'s phone numbers (Twilio REST, read only)');
  if (!rest) return [v.skip('no Twilio credentials in the doctor\'s environment', 'set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)')];
  const client = twilio(rest.username, rest.password, { accountSid: rest.accountSid });
  if (rest.baseUrl) client.api.baseUrl = rest.baseUrl;
  let numbers: Awaited<ReturnType<typeof client.incomingPhoneNumbers.list>>;
  try {
    numbers = await client.incomingPhoneNumbers.list({ ...(rest.number ? { phoneNumber: rest.number } : {}), limit: 50 });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403) return [v.fail(`Twilio refused the credentials (${String(status)})`, 'check TWILIO_ACCOUNT_SID and the auth token or API key pair (Twilio console → Account info)')];
    return [v.fail(`could not list the numbers: ${describeError(error).slice(0, 160)}`, 'check the network to api.twilio.com (or TWILIO_API_BASE_URL)')];
  }
  if (numbers.length === 0) {
    return [v.fail(rest.number ? `the account has no number ending ${redactPhone(rest.number)}` : 'the account has no phone numbers', 'buy or port a voice-capable number, or set TWILIO_FROM_NUMBER to one of this account\'s')];
  }
  const voiceUrl = `${base}/twilio/voice`;
  const statusUrl = `${base}/twilio/status`;
  return numbers.map((n) => {
    const shown = redactPhone(n.phoneNumber);
    const c = verdicts(`twilio.number`, `number ${shown} points at this bridge`, SECTIONS.twilioNumber, `reading the voice configuration of ${shown}`);
    if (n.voiceApplicationSid) return c.fail(`answered by a TwiML App (${n.voiceApplicationSid.slice(0, 6)}…), not a webhook`, `set "A call comes in" to Webhook, POST ${voiceUrl}; or point that TwiML App's voice URL there`);
    const voice = n.voiceUrl ?? '';
    if (!(voice === voiceUrl || voice.startsWith(`${voiceUrl}?`))) return c.fail(`voice webhook is ${voice ? hostAndPath(voice) : '(none)'}`, `set "A call comes in" to Webhook, POST ${voiceUrl} (Twilio console → Phone Numbers → ${shown})`);
    if ((n.voiceMethod ?? 'POST').toUpperCase() !== 'POST') return c.fail(`voice webhook uses ${n.voiceMethod}`, 'set the voice webhook\'s method to HTTP POST (the bridge checks POST parameters\' signatures)');
    const status = n.statusCallback ?? '';
    if (!status) return c.warn(`voice webhook is right; no status callback`, `set "Call status changes" to POST ${statusUrl}, so calls that never reach the stream are recorded`);
    if (status !== statusUrl && !status.startsWith(`${statusUrl}?`)) return c.fail(`status callback is ${hostAndPath(status)}`, `set "Call status changes" to POST ${statusUrl}`);
    return c.pass(`voice webhook and status callback point at ${base}`);
  });
}

function hostAndPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
