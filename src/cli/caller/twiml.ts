/** What a simulated Twilio needs from the TwiML the bridge answers with. */
export interface ParsedTwiml {
  streamUrl: string | null;
  parameters: Record<string, string>;
  connectAction: string | null;
  says: string[];
  hangup: boolean;
  dial: string | null;
}

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag);
  return m?.[1] !== undefined ? decodeEntities(m[1]) : null;
}

/** A small reader for the few TwiML verbs the bridge emits (Connect/Stream/Parameter, Say, Hangup, Dial). */
export function parseTwiml(xml: string): ParsedTwiml {
  const connect = /<Connect\b[^>]*>/.exec(xml)?.[0] ?? null;
  const stream = /<Stream\b[^>]*>/.exec(xml)?.[0] ?? null;
  const parameters: Record<string, string> = {};
  for (const m of xml.matchAll(/<Parameter\b[^>]*\/?>/g)) {
    const name = attribute(m[0], 'name');
    const value = attribute(m[0], 'value');
    if (name !== null && value !== null) parameters[name] = value;
  }
  return {
    streamUrl: stream ? attribute(stream, 'url') : null,
    parameters,
    connectAction: connect ? attribute(connect, 'action') : null,
    says: [...xml.matchAll(/<Say\b[^>]*>([\s\S]*?)<\/Say>/g)].map((m) => decodeEntities(m[1] ?? '')),
    hangup: /<Hangup\s*\/?>/.test(xml),
    dial: (() => {
      const m = /<Dial\b[^>]*>([\s\S]*?)<\/Dial>/.exec(xml);
      return m?.[1] !== undefined ? decodeEntities(m[1]).trim() : null;
    })(),
  };
}
