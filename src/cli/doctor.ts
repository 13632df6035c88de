import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDoctorConfig } from '../config';
import { renderCheck, renderSummary } from '../doctor/render';
import { parseTarget, runDoctor } from '../doctor/run';
import { DEFAULT_DOCTOR_OPTIONS, type DoctorOptions } from '../doctor/types';

/**
 * `npm run doctor -- --url https://bridge.example.com [--twilio] [--maqsam] [--json] [--quick]`:
 * the connection fix guide, run against a local or deployed bridge. Prints each check with what
 * it tried, what it saw and the fix; exits 0 when nothing failed, 1 when something did, 2 on a
 * usage error. Credentials come from the environment (BRIDGE_API_KEY, TWILIO_AUTH_TOKEN,
 * MAQSAM_TOKEN, TWILIO_ACCOUNT_SID…); nothing secret and no phone number is printed.
 */
const USAGE = [
  'usage: npm run doctor -- --url URL [--twilio] [--maqsam] [--json] [--quick] [--build ID] [--ca FILE] [--hold-seconds N]',
  '--url       the bridge\'s public base URL (https://bridge.example.com), or a local one (http://127.0.0.1:8080)',
  '--twilio    only the Twilio stream path, plus the account\'s phone numbers through Twilio\'s REST API (read only)',
  '--maqsam    only the Maqsam stream path (both paths when neither is given)',
  '--json      one JSON report on stdout (for CI: exit 1 when any check failed)',
  '--quick     skip holding a stream open for 70 s',
  '--build ID  fail unless /health reports this build id (a post-deploy gate)',
  '--ca FILE   trust this PEM certificate too (a private CA in front of a staging bridge)',
  'environment: BRIDGE_API_KEY (diagnostic streams and the inside checks), TWILIO_AUTH_TOKEN (signed upgrade),',
  '  MAQSAM_TOKEN (Auth header), TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN or TWILIO_API_KEY/SECRET (--twilio)',
].join('\n');

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: DoctorOptions & { expectBuild?: string };
  let target: ReturnType<typeof parseTarget>;
  try {
    if (!values.url) throw new Error('--url is required');
    target = parseTarget(values.url);
    const env = loadDoctorConfig();
    const hold = values['hold-seconds'] === undefined ? undefined : Number(values['hold-seconds']);
    if (hold !== undefined && !(hold > 0 && hold <= 3600)) throw new Error('--hold-seconds must be a number of seconds between 0 and 3600');
    const only = values.twilio || values.maqsam;
    options = {
      ...DEFAULT_DOCTOR_OPTIONS,
      providers: { twilio: !only || values.twilio === true, maqsam: !only || values.maqsam === true },
      twilioNumbers: values.twilio === true,
      quick: values.quick === true,
      apiKey: env.bridgeApiKey,
      twilioAuthToken: env.twilioAuthToken,
      maqsamToken: env.maqsamToken,
      twilioRest: env.twilioRest,
      ca: values.ca ? readFileSync(values.ca, 'utf8') : undefined,
      ...(hold !== undefined ? { holdMs: hold * 1000 } : {}),
      ...(values.build ? { expectBuild: values.build } : {}),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const json = values.json === true;
  if (!json) process.stdout.write(`npm run doctor: ${target.origin}\n`);
  const report = await runDoctor(target, options, (check) => {
    if (!json) process.stdout.write(`${renderCheck(check)}\n`);
  });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${renderSummary(report)}\n`);
  return report.ok ? 0 : 1;
}

function parse() {
  return parseArgs({
    options: {
      url: { type: 'string' },
      twilio: { type: 'boolean' },
      maqsam: { type: 'boolean' },
      json: { type: 'boolean' },
      quick: { type: 'boolean' },
      build: { type: 'string' },
      ca: { type: 'string' },
      'hold-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`doctor failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
