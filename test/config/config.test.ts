import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, configKeys, loadConfig } from '../../src/config/config.js';
import { envNameFor } from '../../src/config/config-reader.js';
import { BASE_ENV } from '../support/sidecal.js';

function confDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sidecal-conf-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const REQUIRED_PROPS = [
  'spa.calendar.url=http://cal/',
  'spa.excal.url=http://excal/',
  'dav.url=http://sabre/',
  'dav.admin.user=admin',
  'dav.admin.password=pw',
  'admin.password=pw',
  'mail.sender=a@b.org',
].join('\n');

test('environment variable names: dots to underscores, other files prefixed once', () => {
  assert.equal(envNameFor('configuration', 'oidc.userInfo.url'), 'OIDC_USERINFO_URL');
  assert.equal(envNameFor('configuration', 'rest.api.port'), 'REST_API_PORT');
  assert.equal(envNameFor('webadmin', 'port'), 'WEBADMIN_PORT');
  assert.equal(envNameFor('rabbitmq', 'uri'), 'RABBITMQ_URI');
  assert.equal(envNameFor('opensearch', 'opensearch.hosts'), 'OPENSEARCH_HOSTS');
  assert.equal(envNameFor('redis', 'redisURL'), 'REDIS_REDISURL');
});

test('an operator file is read with the reference key names; defaults apply; memory backends when nothing is configured', () => {
  const { config } = loadConfig({}, confDir({ 'configuration.properties': REQUIRED_PROPS }));
  assert.equal(config.rest.port, 8080);
  assert.equal(config.webadmin.port, 8000);
  assert.equal(config.dav.url, 'http://sabre/');
  assert.deepEqual(config.domains, ['linagora.com']);
  assert.equal(config.jwt.validityMs, 12 * 3_600_000);
  assert.equal(config.oidc.cacheExpirationMs, 300_000);
  assert.equal(config.upload.userTotalLimitBytes, 50 * 1024 * 1024);
  assert.equal(config.mongo, undefined);
  assert.equal(config.rabbitmq, undefined);
  assert.equal(config.redis, undefined);
  assert.equal(config.opensearch, undefined);
  assert.equal(config.ldap, undefined);
  assert.equal(config.smtp, undefined);
  assert.equal(config.alarms.mode, 'cluster');
  assert.ok(Object.isFrozen(config.dav));
});

test('environment overrides file values, including keys of the other files', () => {
  const dir = confDir({ 'configuration.properties': `${REQUIRED_PROPS}\nrest.api.port=9000`, 'webadmin.properties': 'port=8001' });
  const { config } = loadConfig({ REST_API_PORT: '9100', WEBADMIN_PORT: '9200', MONGO_URL: 'mongodb://h:1', MONGO_DATABASE: 'esn' }, dir);
  assert.equal(config.rest.port, 9100);
  assert.equal(config.webadmin.port, 9200);
  assert.deepEqual(config.mongo, { url: 'mongodb://h:1', database: 'esn' });
});

test('values are read whole: commas only split list keys; escaped commas survive in lists', () => {
  const dir = confDir({
    'configuration.properties': `${REQUIRED_PROPS}\nmongo.url=mongodb://a:1,b:2/?replicaSet=rs\nmongo.database=esn\ndomains=a.org, b.org\nadmin.password=p,w`,
    'usersrepository.xml': '<usersrepository name="LocalUsers" ldapHost="ldap://l:389" principal="cn=admin,dc=ex,dc=org" credentials="x" userBase="ou=people,dc=ex,dc=org" userObjectClass="inetOrgPerson" userIdAttribute="mail"><restriction memberAttribute="member"><GroupBase>ou=g,dc=ex,dc=org</GroupBase></restriction></usersrepository>',
  });
  const { config } = loadConfig({}, dir);
  assert.equal(config.mongo?.url, 'mongodb://a:1,b:2/?replicaSet=rs');
  assert.deepEqual(config.domains, ['a.org', 'b.org']);
  assert.equal(config.admin.password, 'p,w');
  assert.equal(config.ldap?.principal, 'cn=admin,dc=ex,dc=org');
  assert.deepEqual(config.ldap?.groupBases, ['ou=g,dc=ex,dc=org']);
});

test('durations accept 12h and ISO-8601; sizes accept MiB and bytes', () => {
  const a = loadConfig({ ...BASE_ENV, JWT_KEY_VALIDITY: 'PT2H', UPLOAD_USER_TOTAL_LIMIT: '1024' }, '/nonexistent').config;
  assert.equal(a.jwt.validityMs, 7_200_000);
  assert.equal(a.upload.userTotalLimitBytes, 1024);
  const b = loadConfig({ ...BASE_ENV, JWT_KEY_VALIDITY: '2h', ALARM_EVENT_SCHEDULER_POLL_INTERVAL: '30' }, '/nonexistent').config;
  assert.equal(b.jwt.validityMs, 7_200_000);
  assert.equal(b.alarms.pollIntervalMs, 30_000, 'a bare poll interval is seconds');
});

test('start-up fails with one message listing every bad or missing key', () => {
  try {
    loadConfig({ REST_API_PORT: 'eighty', JWT_KEY_VALIDITY: 'forever', MONGO_URL: 'mongodb://x' }, '/nonexistent');
    assert.fail('expected a ConfigError');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    const text = e.message;
    for (const key of ['rest.api.port', 'jwt.key.validity', 'mongo.database', 'spa.calendar.url', 'spa.excal.url', 'dav.url', 'dav.admin.user', 'dav.admin.password', 'admin.password', 'mail.sender']) {
      assert.ok(text.includes(key), `${key} should be listed in: ${text}`);
    }
    assert.ok(e.problems.length >= 10);
  }
});

test('optional backends are selected by file presence or environment', () => {
  const dir = confDir({
    'configuration.properties': REQUIRED_PROPS,
    'rabbitmq.properties': 'uri=amqp://guest:guest@rabbit:5672\nmanagement.uri=http://rabbit:15672',
    'opensearch.properties': 'opensearch.masterHost=os\nopensearch.port=9200',
  });
  const { config } = loadConfig({ REDIS_URL: 'redis://r:6379' }, dir);
  assert.equal(config.rabbitmq?.uri, 'amqp://guest:guest@rabbit:5672');
  assert.deepEqual(config.opensearch?.hosts, ['http://os:9200']);
  assert.equal(config.opensearch?.eventsIndex, 'calendar-events');
  assert.equal(config.redis?.url, 'redis://r:6379');
});

test('unknown keys are reported as warnings, not failures', () => {
  const { warnings } = loadConfig({}, confDir({ 'configuration.properties': `${REQUIRED_PROPS}\nmongo.uri=typo` }));
  assert.deepEqual(warnings, ['unknown configuration key ignored: configuration.properties: mongo.uri']);
});

test('the shipped conf/ folder is valid', () => {
  const { config, warnings } = loadConfig({}, join(process.cwd(), 'conf'));
  assert.equal(config.rest.port, 8080);
  assert.deepEqual(warnings, []);
});

test('configKeys lists every key once with its environment variable', () => {
  const keys = configKeys();
  const ids = keys.map((k) => `${k.file}:${k.key}`);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(keys.some((k) => k.key === 'oidc.userInfo.url' && k.env === 'OIDC_USERINFO_URL'));
  assert.ok(keys.length > 80);
});

test('docs/configuration.md is generated from the current configuration schema', async () => {
  const { readFileSync } = await import('node:fs');
  const { renderConfigurationDoc } = await import('../../src/config/config-docs.js');
  assert.equal(readFileSync(join(process.cwd(), 'docs/configuration.md'), 'utf8'), renderConfigurationDoc(), 'run `npm run docs` and commit docs/');
});
