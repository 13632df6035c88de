import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../observability/logger';
import { openStore } from './store';
import { describeStoreContract } from './testing/calls-contract';
import { openTemplateStore } from './testing/pglite-template';
import { describeRetentionContract } from './testing/retention-contract';
import { describeWebhooksContract } from './testing/webhooks-contract';

const logger = createLogger({ level: 'silent' });
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('pglite', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bridge-store-'));
  dirs.push(dataDir);
  return { store: await openStore({ dataDir, logger }), reopen: () => openStore({ dataDir, logger }) };
});

// No reopen needed here: an in-memory copy of the migrated template (~0.7 s, not initdb's 4–5 s).
describeRetentionContract('pglite', async () => ({ store: await openTemplateStore({ dataDir: '/nonexistent', logger }) }));

describeWebhooksContract('pglite', () => openTemplateStore({ dataDir: '/nonexistent', logger }));
