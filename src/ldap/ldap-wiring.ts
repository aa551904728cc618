import type { Logger } from 'pino';
import type { LdapConfig } from '../config/config-types.js';
import type { Closeable } from '../core/closeable.js';
import type { HealthChecks } from '../health/health-check.js';
import { LdapCredentialsStore, LdapHealthCheck } from './ldap-credentials-store.js';
import { LdapDomainMembers } from './ldap-domain-members.js';
import { LdapPool } from './ldap-pool.js';

/**
 * LDAP mode (spec dav-ldap-config.md 3.1), built by main.ts when `usersrepository.xml` is present: the pool (closed
 * with the other clients), the read-only credentials store, the `LDAP User Server` health check and the member source.
 */
export function startLdap(config: LdapConfig, deps: { health: HealthChecks; closers: { name: string; close: Closeable['close'] }[]; logger: Logger }) {
  const pool = new LdapPool(config);
  deps.closers.push({ name: 'ldap pool', close: () => pool.close() });
  const credentials = new LdapCredentialsStore(pool, config);
  deps.health.register(new LdapHealthCheck(credentials));
  const members = new LdapDomainMembers(pool, config, deps.logger.child({ component: 'ldap-domain-members' }));
  return { credentials, members };
}
