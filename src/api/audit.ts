import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import { jsonb } from '../store/schema';
import type { Principal } from './keys';

export interface AuditEntry {
  id: number;
  at: string;
  keyId: string | null;
  keyName: string;
  action: string;
  resource: string | null;
  source: string | null;
  detail: Record<string, unknown>;
}

/**
 * Who read or changed health data through the API: every read of a call, every list, every
 * acknowledgement and key change, with the key's name, when and from which address. Written
 * before the answer is sent: an access that cannot be audited is not served.
 */
export class AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(principal: Principal, action: string, entry: { resource?: string | null; source?: string | null; detail?: Record<string, unknown> } = {}): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        key_id: principal.keyId,
        key_name: principal.name,
        action,
        resource: entry.resource ?? null,
        source: entry.source ?? null,
        detail: jsonb(entry.detail ?? {}),
      })
      .execute();
  }

  /** Newest first; `before` is the previous page's last id. */
  async list(options: { limit: number; before?: number | undefined; action?: string | undefined }): Promise<{ entries: AuditEntry[]; next: number | null }> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit + 1);
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    if (options.action) query = query.where('action', '=', options.action);
    const rows = await query.execute();
    const page = rows.slice(0, options.limit);
    return {
      entries: page.map((r) => ({
        id: Number(r.id),
        at: r.at.toISOString(),
        keyId: r.key_id,
        keyName: r.key_name,
        action: r.action,
        resource: r.resource,
        source: r.source,
        detail: r.detail as Record<string, unknown>,
      })),
      next: rows.length > options.limit ? Number(page.at(-1)?.id) : null,
    };
  }
}
