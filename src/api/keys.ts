import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { UUID } from '../identifiers';
import type { Database } from '../store/schema';
import { jsonb } from '../store/schema';

export const SCOPES = ['results:read', 'flags:write', 'questionnaires:write', 'calls:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling the API: a stored key, or the bootstrap key from BRIDGE_API_KEY. */
export interface Principal {
  /** Null for the bootstrap key (it is not stored). */
  keyId: string | null;
  name: string;
  scopes: readonly Scope[];
  /** A console user signed in with a session cookie (keyId is then null too). */
  userId?: string;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export const BOOTSTRAP_KEY_NAME = 'bootstrap (BRIDGE_API_KEY)';
const KEY_PREFIX = 'brk_';

/** `admin` holds every scope. */
export function allows(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * API keys: `brk_` + 32 random bytes (base64url), shown once at creation; only their SHA-256 is
 * stored (a key has 256 bits of entropy, so a slow hash would add nothing). BRIDGE_API_KEY is an
 * admin key that is never stored, compared in constant time.
 */
export class ApiKeys {
  private readonly bootstrap: Buffer | null;

  constructor(
    private readonly db: Kysely<Database>,
    bootstrapKey: string | undefined,
  ) {
    this.bootstrap = bootstrapKey ? sha256(bootstrapKey) : null;
  }

  /** The principal a presented key stands for, or null (unknown or revoked). */
  async authenticate(presented: string): Promise<Principal | null> {
    const hash = sha256(presented);
    if (this.bootstrap && timingSafeEqual(hash, this.bootstrap)) return { keyId: null, name: BOOTSTRAP_KEY_NAME, scopes: ['admin'] };
    if (!presented.startsWith(KEY_PREFIX)) return null;
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'scopes'])
      .where('key_hash', '=', hash.toString('hex'))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { keyId: row.id, name: row.name, scopes: row.scopes.filter(isScope) } : null;
  }

  async create(name: string, scopes: readonly Scope[], createdBy: string): Promise<ApiKeyInfo & { key: string }> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const row = await this.db
      .insertInto('api_keys')
      .values({ id, name, key_hash: sha256(key).toString('hex'), key_prefix: key.slice(0, 10), scopes: jsonb([...new Set(scopes)]), created_by: createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...toInfo(row), key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(toInfo);
  }

  /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
  async revoke(id: string): Promise<ApiKeyInfo | null> {
    if (!UUID.test(id)) return null;
    await this.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toInfo(row) : null;
  }
}


function isScope(value: unknown): value is Scope {
  return (SCOPES as readonly unknown[]).includes(value);
}

function toInfo(row: { id: string; name: string; key_prefix: string; scopes: string[]; created_at: Date; created_by: string; revoked_at: Date | null }): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.key_prefix,
    scopes: row.scopes.filter(isScope),
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}
