/**
 * Jest runs CommonJS in a vm context where `import()` throws unless node runs with
 * --experimental-vm-modules. PGlite's CommonJS build calls `await import("fs/promises")` and a few
 * other Node built-ins that way. For tests only, turn those into `require`s (held under another
 * name: PGlite's own code declares a local `var require`, hoisted over the module's one).
 * Outside jest nothing is transformed: Node runs dynamic imports in CommonJS as written.
 */
const BUILTIN_IMPORT = /\bimport\((["'])((?:node:)?[a-z_/]+)\1\)/g;

module.exports = {
  process(source) {
    if (!BUILTIN_IMPORT.test(source)) return { code: source };
    const code = source.replace(BUILTIN_IMPORT, (_match, quote, name) => `Promise.resolve(__jestBuiltinRequire(${quote}${name}${quote}))`);
    return { code: `var __jestBuiltinRequire = require;${code}` };
  },
};
