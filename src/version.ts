import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * This build's version, from package.json (one directory above both src/ and dist/), so every
 * instance can say which version it runs (its row in the instances table, for rolling upgrades).
 */
export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
})();
