import { pino } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startSidecal, type Sidecal } from '../../src/main.js';

/** A minimal valid environment: what the reference requires, pointing nowhere real. */
export const BASE_ENV: Record<string, string> = {
  SPA_CALENDAR_URL: 'http://calendar.test/',
  SPA_EXCAL_URL: 'http://excal.test/',
  DAV_URL: 'http://127.0.0.1:9/',
  DAV_ADMIN_USER: 'admin',
  DAV_ADMIN_PASSWORD: 'secret',
  ADMIN_PASSWORD: 'adminpw',
  MAIL_SENDER: 'no-reply@open-paas.org',
  DOMAINS: 'linagora.com',
};

/** Config from an empty folder plus environment variables (nothing from the developer's conf/ or shell leaks in). */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...BASE_ENV, ...env }, '/nonexistent-sidecal-conf').config;
}

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Starts sidecal without binding ports; use `.rest.inject` / `.webadmin.inject`. */
export async function startForTest(env: Record<string, string> = {}): Promise<Sidecal> {
  return startSidecal(testConfig(env), { logger: silentLogger, listen: false });
}
