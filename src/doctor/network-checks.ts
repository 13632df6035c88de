import { lookup } from 'node:dns/promises';
import tls from 'node:tls';
import { verdicts, type Verdict } from './check-kit';
import { describeError, isIp, request } from './http-client';
import { SECTIONS } from './sections';
import type { DoctorOptions, Target } from './types';

/** A certificate expiring sooner than this fails: automatic renewal is not working. */
export const MIN_CERTIFICATE_DAYS = 14;

export async function checkDns(target: Target, options: Pick<DoctorOptions, 'timeoutMs'>): Promise<Verdict> {
  const v = verdicts('dns', 'DNS resolves', SECTIONS.proxy, `looking up ${target.host}`);
  if (isIp(target.host)) return v.pass(`${target.host} is an address: nothing to resolve`);
  try {
    const addresses = await withTimeout(lookup(target.host, { all: true }), options.timeoutMs, 'no answer from the resolver');
    return v.pass(`${target.host} → ${addresses.map((a) => a.address).join(', ')}`);
  } catch (error) {
    return v.fail(`${target.host} does not resolve (${describeError(error)})`, `create an A/AAAA (or CNAME) record for ${target.host} pointing at the proxy or load balancer, or correct --url`);
  }
}

export async function checkTls(target: Target, options: Pick<DoctorOptions, 'timeoutMs' | 'ca'>, now: Date = new Date()): Promise<Verdict> {
  const v = verdicts('tls', 'TLS certificate valid for the host, not expiring soon', SECTIONS.proxy, `a TLS handshake with ${target.host}:${target.port}`);
  if (!target.secure) {
    if (target.local) return v.skip('plain http:// to a local address: no TLS here (Twilio and Maqsam need https:// and wss:// in production)');
    return v.fail(`plain http:// to ${target.host}`, 'Twilio and Maqsam connect only over https:// and wss://: put a TLS-terminating proxy in front of the bridge and use its https:// URL');
  }
  let handshake: { cert: tls.PeerCertificate; authorized: boolean; authorizationError: string | undefined; protocol: string | null };
  try {
    handshake = await new Promise((resolve, reject) => {
      const socket = tls.connect({ host: target.host, port: target.port, servername: isIp(target.host) ? undefined : target.host, rejectUnauthorized: false, ...(options.ca ? { ca: options.ca } : {}) }, () => {
        const result = { cert: socket.getPeerCertificate(), authorized: socket.authorized, authorizationError: socket.authorizationError?.toString(), protocol: socket.getProtocol() };
        socket.end();
        resolve(result);
      });
      socket.setTimeout(options.timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${options.timeoutMs} ms`)));
      socket.on('error', reject);
    });
  } catch (error) {
    return v.fail(`the handshake failed: ${describeError(error)}`, 'the port does not speak TLS, or the proxy has no certificate for this name: check the listener (listen 443 ssl; ssl_certificate)');
  }
  const { cert } = handshake;
  if (!cert?.valid_to) return v.fail('no certificate was presented', 'configure a certificate for this host on the proxy');
  const notAfter = new Date(cert.valid_to);
  const notBefore = new Date(cert.valid_from);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000);
  const subject = `issued to ${String(cert.subject?.CN ?? '?')} by ${String(cert.issuer?.CN ?? cert.issuer?.O ?? '?')}`;
  if (notAfter.getTime() <= now.getTime()) {
    return v.fail(`the certificate expired on ${notAfter.toISOString().slice(0, 10)} (${subject})`, 'renew the certificate (certbot renew, or the load balancer\'s managed certificate) and reload the proxy; fix automatic renewal');
  }
  if (notBefore.getTime() > now.getTime()) return v.fail(`the certificate is not valid before ${notBefore.toISOString()}`, 'check the clock of the machine that issued it, or reissue it');
  const wrongName = tls.checkServerIdentity(target.host, cert);
  if (wrongName) return v.fail(`the certificate does not cover ${target.host}: ${wrongName.message}`, `issue a certificate whose names include ${target.host} (or use the host name it was issued for in PUBLIC_URL and --url)`);
  if (!handshake.authorized) {
    return v.fail(`the certificate is not trusted: ${handshake.authorizationError ?? 'unknown reason'} (${subject})`, 'Twilio and Maqsam accept only certificates from a public CA with the full chain: use one (Let\'s Encrypt) and serve fullchain.pem, not cert.pem');
  }
  if (daysLeft < MIN_CERTIFICATE_DAYS) {
    return v.fail(`the certificate expires in ${daysLeft} days (${notAfter.toISOString().slice(0, 10)})`, `renew it now and check automatic renewal: under ${MIN_CERTIFICATE_DAYS} days left means it is not running`);
  }
  return v.pass(`valid for ${target.host} until ${notAfter.toISOString().slice(0, 10)} (${daysLeft} days), ${subject}, ${handshake.protocol ?? 'TLS'}`);
}

/** WebSocket upgrades exist only in HTTP/1.1: an HTTP/2-only or HTTP/1.0 front cannot carry a stream. */
export async function checkHttp1(target: Target, options: Pick<DoctorOptions, 'timeoutMs' | 'ca'>): Promise<Verdict> {
  const v = verdicts('http1', 'HTTP/1.1 available', SECTIONS.proxy, `GET /health over HTTP/1.1${target.secure ? ' (ALPN http/1.1)' : ''}`);
  try {
    const answer = await request(target, '/health', options);
    if (answer.httpVersion !== '1.1') return v.fail(`answered with HTTP/${answer.httpVersion}`, 'the front answers HTTP/1.0: WebSocket upgrades need HTTP/1.1 end to end (nginx: proxy_http_version 1.1)');
    return v.pass(`answered ${answer.status} over HTTP/1.1`);
  } catch (error) {
    const reason = describeError(error);
    if (/ALPN|application protocol/i.test(reason)) return v.fail(`the listener refused HTTP/1.1: ${reason}`, 'enable HTTP/1.1 on the listener (an HTTP/2-only listener cannot upgrade to WebSocket)');
    return v.fail(`no HTTP answer: ${reason}`, 'nothing answers HTTP at this address and port: check the proxy is running and forwards to the bridge');
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
