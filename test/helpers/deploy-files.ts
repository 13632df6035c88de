/**
 * Readers for the deployment files test/deploy.test.ts checks: an nginx configuration parsed into
 * directives (with nginx's rules for choosing a location), and Compose's rules for which services
 * `docker compose [--profile …] up [service …]` starts. No nginx or Docker needed.
 */

export interface NginxDirective {
  name: string;
  args: string[];
  /** The directives inside `{ … }`, for block directives (http, server, upstream, location). */
  block?: NginxDirective[];
}

/** nginx's configuration syntax: words and quoted strings, `;` ends a directive, `{ }` a block, `#` a comment. */
export function parseNginx(text: string): NginxDirective[] {
  const tokens: string[] = [];
  for (const m of text.matchAll(/#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#][^\s{};]*)/g)) {
    if (m[0].startsWith('#')) continue;
    tokens.push(m[1] ?? m[2] ?? m[3] ?? (m[4] as string));
  }
  let at = 0;
  const block = (closing: boolean): NginxDirective[] => {
    const out: NginxDirective[] = [];
    let words: string[] = [];
    while (at < tokens.length) {
      const token = tokens[at++] as string;
      if (token === ';') {
        if (words.length === 0) throw new Error('nginx: an empty directive');
        out.push({ name: words[0] as string, args: words.slice(1) });
        words = [];
      } else if (token === '{') {
        if (words.length === 0) throw new Error('nginx: a block without a name');
        out.push({ name: words[0] as string, args: words.slice(1), block: block(true) });
        words = [];
      } else if (token === '}') {
        if (!closing || words.length > 0) throw new Error(`nginx: unexpected } after "${words.join(' ')}"`);
        return out;
      } else {
        words.push(token);
      }
    }
    if (closing || words.length > 0) throw new Error('nginx: unexpected end of file');
    return out;
  };
  return block(false);
}

export const named = (directives: NginxDirective[] | undefined, name: string): NginxDirective[] => (directives ?? []).filter((d) => d.name === name);

/** The arguments of the first directive called `name`, or undefined. */
export const argsOf = (directives: NginxDirective[] | undefined, name: string): string[] | undefined => named(directives, name)[0]?.args;

/**
 * The location nginx chooses for `uri` in a server block: an exact match (`=`) first, then the
 * longest prefix; a `^~` prefix wins outright, otherwise the first matching regex (`~`, `~*`) in
 * the order written, and the longest prefix only when no regex matches.
 */
export function locationFor(server: NginxDirective[], uri: string): NginxDirective | undefined {
  const locations = named(server, 'location');
  const exact = locations.find((l) => l.args[0] === '=' && l.args[1] === uri);
  if (exact) return exact;
  let longest: NginxDirective | undefined;
  for (const l of locations) {
    const prefix = l.args.length === 1 ? l.args[0] : l.args[0] === '^~' ? l.args[1] : undefined;
    if (prefix !== undefined && uri.startsWith(prefix) && prefix.length > (longest?.args.at(-1)?.length ?? -1)) longest = l;
  }
  if (longest?.args[0] === '^~') return longest;
  const regex = locations.find((l) => (l.args[0] === '~' || l.args[0] === '~*') && new RegExp(l.args[1] as string, l.args[0] === '~*' ? 'i' : '').test(uri));
  return regex ?? longest;
}

/** proxy_set_header of a location; as in nginx, the server's apply only when the location sets none. */
export function proxyHeaders(server: NginxDirective[], location: NginxDirective): Map<string, string> {
  const own = named(location.block, 'proxy_set_header');
  const set = own.length > 0 ? own : named(server, 'proxy_set_header');
  return new Map(set.map((d) => [(d.args[0] as string).toLowerCase(), d.args.slice(1).join(' ')]));
}

/** nginx and Compose durations (`3600s`, `1h`, `45s`, `1m30s`, a bare number of seconds) in seconds. */
export function durationSeconds(text: string | number | undefined): number {
  if (typeof text === 'number') return text;
  if (text === undefined) return Number.NaN;
  const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s?)?$/.exec(text.trim());
  if (!m || text.trim() === '') return Number.NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export interface ComposeModelService {
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

export function dependenciesOf(service: ComposeModelService): string[] {
  const deps = service.depends_on ?? [];
  return Array.isArray(deps) ? deps : Object.keys(deps);
}

/**
 * The services `docker compose [--profile p …] up [target …]` starts, by Compose's rules: a
 * service without `profiles` is always enabled, one with them only when one is active. Without
 * targets every enabled service starts; with targets, those (their profiles become active) and
 * what they depend on, each of which must be enabled (Compose refuses otherwise).
 */
export function composeUp(services: Record<string, ComposeModelService>, profiles: string[], targets: string[] = []): string[] {
  const active = new Set([...profiles, ...targets.flatMap((t) => services[t]?.profiles ?? [])]);
  const enabled = (name: string) => {
    const service = services[name];
    if (!service) throw new Error(`no service ${name}`);
    return !service.profiles?.length || service.profiles.some((p) => active.has(p));
  };
  if (targets.length === 0) return Object.keys(services).filter(enabled);
  const started = new Set<string>();
  const visit = (name: string, from?: string) => {
    if (!enabled(name)) throw new Error(`${from} depends on ${name}, which no active profile enables`);
    if (started.has(name)) return;
    started.add(name);
    for (const dependency of dependenciesOf(services[name] as ComposeModelService)) visit(dependency, name);
  };
  for (const target of targets) visit(target);
  return Object.keys(services).filter((name) => started.has(name));
}
