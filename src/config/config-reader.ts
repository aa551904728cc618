import { parseBoolean, parseDuration, parseSize, type DurationUnit } from './units.js';

/** The configuration files sidecal reads, by their base name. `configuration` keys have no environment prefix. */
/** `jvm` is `jvm.properties`: the reference's system properties (James loads that file into them at start-up). */
export type ConfFile = 'configuration' | 'webadmin' | 'rabbitmq' | 'redis' | 'opensearch' | 'healthcheck' | 'jvm' | 'usersrepository';

export interface KeyDoc {
  file: ConfFile;
  key: string;
  env: string;
  /** Other environment variables accepted for the key. */
  envAliases: string[];
  type: string;
  default?: string;
  required: boolean;
  description: string;
}

/**
 * `oidc.userInfo.url` -> `OIDC_USERINFO_URL`; keys of the other files take the file name as prefix
 * (`port` in webadmin.properties -> `WEBADMIN_PORT`), without doubling it (`opensearch.hosts` -> `OPENSEARCH_HOSTS`).
 */
export function envNameFor(file: ConfFile, key: string): string {
  const base = key.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
  if (file === 'configuration') return base;
  const prefix = file.toUpperCase();
  return base.startsWith(`${prefix}_`) ? base : `${prefix}_${base}`;
}

interface Opts<T> {
  default?: T;
  required?: boolean;
  description: string;
  /** Other environment variable names accepted for the key (checked after the canonical one). */
  envAliases?: string[];
}

/**
 * Reads typed values from the raw files plus environment overrides, collecting every problem instead of stopping at
 * the first, and recording every key it is asked for (the configuration reference and the docker-sample test use it).
 */
export class ConfigReader {
  readonly errors: string[] = [];
  readonly keys: KeyDoc[] = [];
  private readonly used = new Set<string>();

  constructor(
    private readonly files: Partial<Record<ConfFile, Map<string, string>>>,
    private readonly env: NodeJS.ProcessEnv,
    /** Documentation mode: every optional section counts as present so that all its keys are listed. */
    private readonly describeAll = false,
  ) {}

  /** True when the file exists or any of the given keys is set through the environment. */
  present(file: ConfFile, keys: string[], envAliases: string[] = []): boolean {
    if (this.describeAll || this.files[file] !== undefined) return true;
    return keys.some((k) => this.env[envNameFor(file, k)] !== undefined) || envAliases.some((e) => this.env[e] !== undefined);
  }

  raw(file: ConfFile, key: string, envAliases: string[] = []): string | undefined {
    this.used.add(`${file}:${key}`);
    const fromEnv = this.env[envNameFor(file, key)] ?? envAliases.map((a) => this.env[a]).find((v) => v !== undefined);
    const value = fromEnv ?? this.files[file]?.get(key);
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  string(file: ConfFile, key: string, o: Opts<string> & { required: true }): string;
  string(file: ConfFile, key: string, o: Opts<string> & { default: string }): string;
  string(file: ConfFile, key: string, o: Opts<string>): string | undefined;
  string(file: ConfFile, key: string, o: Opts<string>): string | undefined {
    return this.read(file, key, 'string', o, (v) => v);
  }

  url(file: ConfFile, key: string, o: Opts<string> & { required: true }): string;
  url(file: ConfFile, key: string, o: Opts<string> & { default: string }): string;
  url(file: ConfFile, key: string, o: Opts<string>): string | undefined;
  url(file: ConfFile, key: string, o: Opts<string>): string | undefined {
    return this.read(file, key, 'URL', o, (v) => {
      const u = new URL(v);
      if (!/^(https?|amqps?|redis|rediss|mongodb|mongodb\+srv|ldaps?|file|classpath):$/.test(u.protocol)) {
        throw new Error(`'${v}' has an unsupported scheme ${u.protocol}`);
      }
      return v;
    });
  }

  int(file: ConfFile, key: string, o: Opts<number> & { min?: number; max?: number; default: number }): number;
  int(file: ConfFile, key: string, o: Opts<number> & { min?: number; max?: number }): number | undefined;
  int(file: ConfFile, key: string, o: Opts<number> & { min?: number; max?: number }): number | undefined {
    return this.read(file, key, 'integer', o, (v) => {
      if (!/^-?\d+$/.test(v)) throw new Error(`'${v}' is not an integer`);
      const n = Number(v);
      if (o.min !== undefined && n < o.min) throw new Error(`${n} is below the minimum ${o.min}`);
      if (o.max !== undefined && n > o.max) throw new Error(`${n} is above the maximum ${o.max}`);
      return n;
    });
  }

  bool(file: ConfFile, key: string, o: Opts<boolean> & { default: boolean }): boolean {
    return this.read(file, key, 'boolean', o, parseBoolean) as boolean;
  }

  /** Milliseconds. `positive` rejects zero and negative values. */
  duration(file: ConfFile, key: string, o: Opts<number> & { unit?: DurationUnit; positive?: boolean; default: number }): number;
  duration(file: ConfFile, key: string, o: Opts<number> & { unit?: DurationUnit; positive?: boolean }): number | undefined;
  duration(file: ConfFile, key: string, o: Opts<number> & { unit?: DurationUnit; positive?: boolean }): number | undefined {
    return this.read(file, key, `duration (bare number: ${o.unit ?? 'ms'})`, o, (v) => {
      const ms = parseDuration(v, o.unit ?? 'ms');
      if (o.positive && ms <= 0) throw new Error(`'${v}' must be a positive duration`);
      return ms;
    });
  }

  size(file: ConfFile, key: string, o: Opts<number> & { default: number }): number {
    return this.read(file, key, 'size (bytes)', o, parseSize) as number;
  }

  /** Comma-separated list; `\,` inside an item is kept as a comma by the properties reader already. */
  list(file: ConfFile, key: string, o: Opts<string[]> & { default: string[] }): string[] {
    return this.read(file, key, 'list', o, (v) =>
      v
        .split(/(?<!\\),/)
        .map((s) => s.replace(/\\,/g, ',').trim())
        .filter((s) => s !== ''),
    ) as string[];
  }

  oneOf<T extends string>(file: ConfFile, key: string, values: readonly T[], o: Opts<T> & { default: T }): T {
    return this.read(file, key, values.join('|'), o, (v) => {
      const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
      if (found === undefined) throw new Error(`'${v}' is not one of ${values.join(', ')}`);
      return found;
    }) as T;
  }

  fail(message: string): void {
    this.errors.push(message);
  }

  /** Keys present in the files that no reader asked for (typos, or keys of features sidecal does not have). */
  unknownKeys(): string[] {
    const out: string[] = [];
    for (const [file, map] of Object.entries(this.files)) {
      // jvm.properties holds every JVM system property of the reference (James, logging…), most meaningless here.
      if (file === 'usersrepository' || file === 'jvm' || map === undefined) continue;
      for (const key of map.keys()) if (!this.used.has(`${file}:${key}`)) out.push(`${confFileName(file as ConfFile)}: ${key}`);
    }
    return out;
  }

  private read<T>(file: ConfFile, key: string, type: string, o: Opts<T>, parse: (v: string) => T): T | undefined {
    const env = envNameFor(file, key);
    this.keys.push({
      file,
      key,
      env,
      envAliases: o.envAliases ?? [],
      type,
      default: o.default === undefined ? undefined : JSON.stringify(o.default),
      required: o.required ?? false,
      description: o.description,
    });
    const value = this.raw(file, key, o.envAliases);
    if (value === undefined) {
      if (o.required) this.errors.push(`${describe(file, key)} is missing (or set ${env})`);
      return o.default;
    }
    try {
      return parse(type === 'list' ? value : value.replace(/\\,/g, ','));
    } catch (e) {
      this.errors.push(`${describe(file, key)}: ${(e as Error).message}`);
      return o.default;
    }
  }
}

/** The file's name in the configuration folder. */
export function confFileName(file: ConfFile): string {
  return file === 'usersrepository' ? 'usersrepository.xml' : `${file}.properties`;
}

function describe(file: ConfFile, key: string): string {
  return `${confFileName(file)} ${key}`;
}
