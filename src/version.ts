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

/** What a build id may look like: a commit, an image tag, a CI run number. */
export const BUILD_ID_PATTERN = /^[A-Za-z0-9._+-]{1,64}$/;

/**
 * The build id `npm run build` wrote beside the compiled code (dist/build-info.json: BUILD_ID at
 * build time, else the git commit), or undefined when running from source or when the build had
 * neither. BUILD_ID at run time wins over it (see config.ts); `dev` is the last resort.
 */
export const BUILT_ID: string | undefined = (() => {
  try {
    const info = JSON.parse(readFileSync(path.join(__dirname, 'build-info.json'), 'utf8')) as { build?: unknown };
    return typeof info.build === 'string' && BUILD_ID_PATTERN.test(info.build) ? info.build : undefined;
  } catch {
    return undefined;
  }
})();

/** The service name /health answers with: a test server or another app answering there does not. */
export const SERVICE_NAME = 'telephony-bridge';
