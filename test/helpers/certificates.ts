import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const OPENSSL = '/usr/bin/openssl';

/**
 * A self-signed certificate for 127.0.0.1 and localhost (or `altNames`) valid between two dates (OpenSSL 3.0's
 * `req -x509` cannot backdate, so `openssl ca -selfsign` with -startdate/-enddate), or null when
 * openssl is missing: tests that need one skip then.
 */
export function selfSignedCertificate(notBefore: Date, notAfter: Date, altNames = 'IP:127.0.0.1,DNS:localhost'): { key: string; cert: string } | null {
  if (!existsSync(OPENSSL)) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'doctor-cert-'));
  try {
    writeFileSync(path.join(dir, 'index.txt'), '');
    writeFileSync(path.join(dir, 'serial'), '01\n');
    writeFileSync(
      path.join(dir, 'ca.cnf'),
      ['[ca]', 'default_ca = d', '[d]', 'database = index.txt', 'serial = serial', 'new_certs_dir = .', 'default_md = sha256', 'policy = p', 'copy_extensions = copy', 'unique_subject = no', '[p]', 'commonName = supplied', '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = localhost', ''].join('\n'),
    );
    const run = (args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr', '-config', 'ca.cnf', '-addext', `subjectAltName=${altNames}`]);
    const stamp = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
    run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-out', 'cert.pem', '-startdate', stamp(notBefore), '-enddate', stamp(notAfter)]);
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
