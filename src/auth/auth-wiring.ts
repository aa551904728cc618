import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import type { HealthChecks } from '../health/health-check.js';
import type { DomainStore } from '../storage/domain-store.js';
import type { UserStore } from '../storage/user-store.js';
import type { AuthPipeline } from './auth-pipeline.js';
import { JwtStrategy } from './jwt-strategy.js';
import type { JwtService } from './jwt-service.js';
import { LemonCookieStrategy } from './lemon-strategy.js';
import { LogoutTokenReader } from './logout-token.js';
import { OidcResolver } from './oidc-resolver.js';
import { OidcStrategy } from './oidc-strategy.js';
import type { OidcTokenCache } from './oidc-token-cache.js';
import { MemoryOidcTokenCache } from './oidc-token-cache.memory.js';
import { RedisOidcTokenCache } from './oidc-token-cache.redis.js';

const IDP_TIMEOUT_MS = 10_000;

/**
 * Appends the bearer and cookie strategies after Basic (spec rest-api.md 2.1 order: Basic → JWT → OIDC → lemon) and
 * builds the OIDC token cache: Redis when redis.properties is present (shared by all instances), else in memory.
 */
export function addTokenStrategies(auth: AuthPipeline, deps: {
  config: Config;
  jwt: JwtService;
  users: UserStore;
  domains: DomainStore;
  clock: Clock;
  logger: Logger;
  health: HealthChecks;
  closers: { name: string; close: () => Promise<void> }[];
}): { cache: OidcTokenCache; logoutTokens: LogoutTokenReader } {
  const { config, clock, logger } = deps;
  const oidc = config.oidc;
  let cache: OidcTokenCache;
  if (config.redis) {
    const redis = RedisOidcTokenCache.connect(config.redis.url, oidc.cacheExpirationMs);
    deps.closers.push({ name: 'redis', close: () => redis.close() });
    deps.health.register(redis);
    cache = redis;
    logger.info('OIDC token cache: Redis');
  } else {
    cache = new MemoryOidcTokenCache({ ttlMs: oidc.cacheExpirationMs, maxSize: oidc.cacheMaxSize }, clock);
  }

  auth.add(new JwtStrategy({ jwt: deps.jwt, domains: deps.domains }));
  if (oidc.userInfoUrl && oidc.introspectUrl) {
    const resolver = new OidcResolver({
      userInfoUrl: oidc.userInfoUrl,
      introspectUrl: oidc.introspectUrl,
      introspectCredentials: oidc.introspectCredentials,
      claim: oidc.claim,
      timeoutMs: IDP_TIMEOUT_MS,
    });
    auth.add(new OidcStrategy({ resolver, cache, users: deps.users, audiences: oidc.audience, clock, logger: logger.child({ component: 'oidc' }) }));
  } else {
    logger.warn('OIDC bearer tokens disabled (oidc.userInfo.url or oidc.introspect.url not set)');
  }
  if (oidc.lemonCookieUrl && oidc.lemonCookieDomain) {
    auth.add(new LemonCookieStrategy({ resolutionUrl: oidc.lemonCookieUrl, domain: oidc.lemonCookieDomain }));
  }
  return { cache, logoutTokens: new LogoutTokenReader(oidc.jwksUrl, clock) };
}
