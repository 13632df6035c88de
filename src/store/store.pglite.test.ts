import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../observability/logger';
import { openStore } from './store';
import { describeStoreContract } from './testing/calls-contract';
import { describeRetentionContract } from './testing/retention-contract';

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

describeRetentionContract('pglite', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bridge-store-'));
  dirs.push(dataDir);
  return { store: await openStore({ dataDir, logger }) };
});
