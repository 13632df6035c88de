import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/**
 * POSTs a form as Twilio does, signed with `authToken` for `signedUrl` (the URL Twilio called:
 * the public one behind a proxy; by default the one posted to). Returns the status and body.
 */
export async function postTwilioForm(url: string, params: Record<string, string>, authToken: string, signedUrl = url): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(authToken, signedUrl, params) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}
