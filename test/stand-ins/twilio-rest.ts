import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/**
 * Twilio's REST API for placing calls, as the `twilio` package speaks to it: `POST
 * /2010-04-01/Accounts/{AccountSid}/Calls.json`, form-encoded, HTTP Basic auth (account SID and
 * auth token, or an API key pair), answering Twilio's JSON call resource (201) or its error
 * shape ({code, message, more_info, status}). Then it plays the phone network: status callbacks
 * and the voice webhook, signed with X-Twilio-Signature as Twilio signs them.
 */
export interface PlacedCall {
  sid: string;
  /** The form parameters as received (repeated names collected into arrays). */
  params: Record<string, string | string[]>;
  auth: { username: string; password: string };
  createdAt: Date;
  /** The call as Twilio knows it now (what GET …/Calls/{sid}.json answers): the last status sent or set. */
  status: string;
  answeredBy: string | null;
}

export interface TwilioRestStandIn {
  url: string;
  accountSid: string;
  calls: PlacedCall[];
  /**
   * The call's status changes (CallStatus, AnsweredBy): kept as Twilio's view of the call, then
   * POSTed to its StatusCallback URL, signed. Returns the bridge's HTTP status, or 0 when the
   * bridge could not be reached (Twilio does not retry a status callback: it is lost).
   */
  status(call: PlacedCall, fields: Record<string, string>): Promise<number>;
  /** Answers the call: POSTs its voice webhook, signed, and returns the TwiML. */
  answer(call: PlacedCall, fields?: Record<string, string>): Promise<string>;
  /** A call coming in to one of the account's numbers: POSTs the number's voice webhook, signed, as Twilio does; returns the call's sid and the TwiML. */
  incoming(voiceUrl: string, call: { from: string; to: string }, fields?: Record<string, string>): Promise<{ sid: string; twiml: string }>;
  close(): Promise<void>;
}

/** One of the account's phone numbers, as GET …/IncomingPhoneNumbers.json lists it (the voice fields). */
export interface StandInNumber {
  phoneNumber: string;
  voiceUrl: string | null;
  voiceMethod?: string;
  statusCallback: string | null;
  voiceApplicationSid?: string | null;
}

export async function startTwilioRest(options: {
  accountSid: string;
  /** The account's phone numbers (read by IncomingPhoneNumbers). */
  numbers?: StandInNumber[];
  credentials: { username: string; password: string };
  authToken: string;
  /** Plays the phone network for each call placed (Twilio has placed it, whether or not the 201 reaches the client). */
  onCall?: (call: PlacedCall) => void;
  /** Awaited before the 201 (or the +1500666… 500) is sent: a test holds it to kill the client between Twilio placing a call and the client hearing of it, or sends a callback first. */
  beforeAnswer?: (call: PlacedCall) => Promise<void>;
}): Promise<TwilioRestStandIn> {
  const calls: PlacedCall[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const error = (status: number, code: number, message: string) => send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
      const prefix = `/2010-04-01/Accounts/${options.accountSid}/Calls`;
      const url = new URL(req.url ?? '/', 'http://twilio');
      const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
      const [username, password] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
      if (scheme !== 'Basic' || username !== options.credentials.username || password !== options.credentials.password) return error(401, 20003, 'Authenticate');
      // The account's numbers, optionally filtered by PhoneNumber (read only).
      if (req.method === 'GET' && url.pathname === `/2010-04-01/Accounts/${options.accountSid}/IncomingPhoneNumbers.json`) {
        const wanted = url.searchParams.get('PhoneNumber');
        const listed = (options.numbers ?? []).filter((n) => !wanted || n.phoneNumber === wanted);
        return send(200, {
          incoming_phone_numbers: listed.map((n, i) => ({
            sid: `PN${String(i).padStart(32, '0')}`,
            account_sid: options.accountSid,
            phone_number: n.phoneNumber,
            friendly_name: n.phoneNumber,
            voice_url: n.voiceUrl,
            voice_method: n.voiceMethod ?? 'POST',
            status_callback: n.statusCallback,
            status_callback_method: 'POST',
            voice_application_sid: n.voiceApplicationSid ?? null,
            capabilities: { voice: true, sms: false, mms: false, fax: false },
          })),
          page: 0,
          page_size: 50,
          first_page_uri: req.url,
          next_page_uri: null,
          previous_page_uri: null,
          uri: req.url,
          start: 0,
          end: Math.max(0, listed.length - 1),
        });
      }
      // Reading calls: one by sid, or the list filtered by To and From, newest first.
      if (req.method === 'GET' && url.pathname.startsWith(`${prefix}/`) && url.pathname.endsWith('.json')) {
        const call = calls.find((c) => `${prefix}/${c.sid}.json` === url.pathname);
        return call ? send(200, resource(call)) : error(404, 20404, `The requested resource ${url.pathname} was not found`);
      }
      if (req.method === 'GET' && url.pathname === `${prefix}.json`) {
        const to = url.searchParams.get('To');
        const from = url.searchParams.get('From');
        const size = Number(url.searchParams.get('PageSize') ?? 50);
        const listed = calls.filter((c) => (!to || c.params['To'] === to) && (!from || c.params['From'] === from)).reverse().slice(0, size);
        return send(200, { calls: listed.map(resource), page: 0, page_size: size, first_page_uri: req.url, next_page_uri: null, previous_page_uri: null, uri: req.url, start: 0, end: listed.length - 1 });
      }
      if (req.method !== 'POST' || url.pathname !== `${prefix}.json`) return error(404, 20404, `The requested resource ${req.url} was not found`);
      const params: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(body)) {
        const prior = params[name];
        params[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
      }
      const to = String(params['To'] ?? '');
      if (!/^\+[1-9][0-9]{6,14}$/.test(to) || to.startsWith('+1500555')) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!params['Url']) return error(400, 21205, 'Url parameter is required.');
      // Twilio failing, for tests: +1500777… is refused with a 503 before any call exists.
      if (to.startsWith('+1500777')) return error(503, 20503, 'Service Unavailable');
      const sid = `CA${randomBytes(16).toString('hex')}`;
      const call: PlacedCall = { sid, params, auth: { username: username as string, password: password as string }, createdAt: new Date(), status: 'queued', answeredBy: null };
      calls.push(call);
      options.onCall?.(call);
      // +1500666…: the call is placed, but the answer is a 500 (the client cannot tell it exists).
      if (to.startsWith('+1500666')) return void (options.beforeAnswer?.(call) ?? Promise.resolve()).then(() => error(500, 20500, 'Internal Server Error'));
      void (options.beforeAnswer?.(call) ?? Promise.resolve()).then(() => send(201, resource(call)));
    });
  });
  // The call resource as Twilio's REST API answers it (the fields the `twilio` package reads here).
  const resource = (call: PlacedCall) => ({
    sid: call.sid,
    account_sid: options.accountSid,
    to: call.params['To'],
    from: call.params['From'],
    status: call.status,
    answered_by: call.answeredBy,
    direction: 'outbound-api',
    date_created: call.createdAt.toUTCString(),
    date_updated: new Date().toUTCString(),
    start_time: call.createdAt.toUTCString(),
    uri: `/2010-04-01/Accounts/${options.accountSid}/Calls/${call.sid}.json`,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const signedPost = async (target: string, params: Record<string, string>) => {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(options.authToken, target, params) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, text: await res.text() };
  };
  const base = (call: PlacedCall) => ({ CallSid: call.sid, AccountSid: options.accountSid, From: String(call.params['From']), To: String(call.params['To']), Direction: 'outbound-api', ApiVersion: '2010-04-01' });

  return {
    url,
    accountSid: options.accountSid,
    calls,
    status: async (call, fields) => {
      if (fields['CallStatus']) call.status = fields['CallStatus'];
      if (fields['AnsweredBy']) call.answeredBy = fields['AnsweredBy'];
      try {
        return (await signedPost(String(call.params['StatusCallback']), { ...base(call), ...fields })).status;
      } catch {
        return 0;
      }
    },
    answer: async (call, fields = {}) => {
      call.status = 'in-progress';
      return (await signedPost(String(call.params['Url']), { ...base(call), CallStatus: 'in-progress', ...fields })).text;
    },
    incoming: async (voiceUrl, { from, to }, fields = {}) => {
      const sid = `CA${randomBytes(16).toString('hex')}`;
      const params = { CallSid: sid, AccountSid: options.accountSid, From: from, To: to, Caller: from, Called: to, Direction: 'inbound', CallStatus: 'ringing', ApiVersion: '2010-04-01', ...fields };
      return { sid, twiml: (await signedPost(voiceUrl, params)).text };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
