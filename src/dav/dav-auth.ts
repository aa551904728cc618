import type { DavConfig } from '../config/config-types.js';
import type { TechnicalTokenService } from '../auth/technical-token.js';

/**
 * Who a call to esn-sabre acts as (spec dav-ldap-config.md 1.2):
 * - `user`: impersonation, Basic `{dav.admin.user}&{email}:{dav.admin.password}` (esn-sabre's admin login);
 * - `technical`: a technical token of the domain in the `TwakeCalendarToken` header (domain-members books, resources);
 * - `admin`: plain Basic of the DAV admin account.
 */
export type DavPrincipal =
  | { kind: 'user'; email: string }
  | { kind: 'technical'; domainId: string }
  | { kind: 'admin' };

/** The impersonation header value for one user; the separator is `&` and the full email is the impersonated name. */
export function impersonationHeader(dav: Pick<DavConfig, 'adminUser' | 'adminPassword'>, email: string): string {
  return `Basic ${Buffer.from(`${dav.adminUser}&${email}:${dav.adminPassword}`, 'utf8').toString('base64')}`;
}

export async function authHeaders(
  dav: Pick<DavConfig, 'adminUser' | 'adminPassword'>,
  tokens: TechnicalTokenService,
  principal: DavPrincipal,
): Promise<Record<string, string>> {
  switch (principal.kind) {
    case 'user':
      return { authorization: impersonationHeader(dav, principal.email) };
    case 'technical':
      // esn-sabre reads the raw JWT, without a `Bearer ` prefix.
      return { twakecalendartoken: await tokens.generate(principal.domainId) };
    case 'admin':
      return { authorization: `Basic ${Buffer.from(`${dav.adminUser}:${dav.adminPassword}`, 'utf8').toString('base64')}` };
  }
}
