import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Principal, SCOPES, type Scope } from '../api/keys';
import { UUID } from '../identifiers';
import { type Database, jsonb } from '../store/schema';

/**
 * Console accounts: a named person per account (a nurse, a coordinator), with the API scopes the
 * console may use on their behalf, a password kept as a scrypt hash, and sessions held in the
 * database by the SHA-256 of their cookie. Disabling an account ends its sessions at once.
 */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const MIN_PASSWORD = 12;
/** A session lasts a working shift, then the person signs in again. */
export const SESSION_HOURS = 12;

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, SCRYPT.keylen, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified against when the username is unknown, so a wrong name takes as long as a wrong password. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ConsoleUser {
  id: string;
  username: string;
  displayName: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
}

export interface ConsoleSession {
  user: ConsoleUser;
  csrfToken: string;
  expiresAt: string;
}

/** What the API sees of a console user: their name (audited as such) and their scopes. */
export function consolePrincipal(user: ConsoleUser): Principal {
  return { keyId: null, name: `${user.username} (console)`, scopes: user.scopes, userId: user.id };
}

export class ConsoleAccounts {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { username: string; displayName: string; password: string; scopes: Scope[]; createdBy: string }): Promise<ConsoleUser | 'taken'> {
    const id = randomUUID();
    const hash = await hashPassword(input.password);
    const inserted = await this.db
      .insertInto('console_users')
      .values({ id, username: input.username, display_name: input.displayName, password_hash: hash, scopes: jsonb([...new Set(input.scopes)]), created_by: input.createdBy })
      .onConflict((oc) => oc.column('username').doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted ? toUser(inserted) : 'taken';
  }

  async list(): Promise<ConsoleUser[]> {
    return (await this.db.selectFrom('console_users').selectAll().orderBy('created_at').orderBy('id').execute()).map(toUser);
  }

  /** Disables the account and ends every session of it; false when there is no such (enabled) account. */
  async disable(id: string): Promise<ConsoleUser | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('console_users').set({ disabled_at: new Date() }).where('id', '=', id).where('disabled_at', 'is', null).returningAll().executeTakeFirst();
      if (!row) return undefined;
      await trx.updateTable('console_sessions').set({ revoked_at: new Date() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
      return toUser(row);
    });
  }

  /** Checks a username and password; a session (cookie token, CSRF token) when they match an enabled account. */
  async signIn(username: string, password: string): Promise<{ token: string; session: ConsoleSession } | undefined> {
    const row = USERNAME.test(username) ? await this.db.selectFrom('console_users').selectAll().where('username', '=', username).executeTakeFirst() : undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH));
    if (!row || !ok || row.disabled_at) return undefined;
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
    await this.db.insertInto('console_sessions').values({ token_hash: sha256(token), user_id: row.id, csrf_token: csrfToken, expires_at: expiresAt }).execute();
    await this.forgetEnded();
    return { token, session: { user: toUser(row), csrfToken, expiresAt: expiresAt.toISOString() } };
  }

  /** Sessions that expired or were signed out over a day ago are deleted: a hash of a cookie nobody can use any more is not kept. */
  async forgetEnded(): Promise<number> {
    const dayAgo = new Date(Date.now() - 86_400_000);
    const result = await this.db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('expires_at', '<', dayAgo), eb('revoked_at', '<', dayAgo)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The live session of a cookie token: not expired, not signed out, its account not disabled. */
  async session(token: string): Promise<ConsoleSession | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const row = await this.db
      .selectFrom('console_sessions as s')
      .innerJoin('console_users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.csrf_token', 's.expires_at'])
      .where('s.token_hash', '=', sha256(token))
      .where('s.revoked_at', 'is', null)
      .where('s.expires_at', '>', new Date())
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    return row ? { user: toUser(row), csrfToken: row.csrf_token, expiresAt: row.expires_at.toISOString() } : undefined;
  }

  async signOut(token: string): Promise<void> {
    await this.db.updateTable('console_sessions').set({ revoked_at: new Date() }).where('token_hash', '=', sha256(token)).where('revoked_at', 'is', null).execute();
  }
}

function toUser(row: { id: string; username: string; display_name: string; scopes: string[]; created_at: Date; created_by: string; disabled_at: Date | null }): ConsoleUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    scopes: row.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    disabledAt: row.disabled_at ? new Date(row.disabled_at).toISOString() : null,
  };
}
