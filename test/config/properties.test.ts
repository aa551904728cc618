import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProperties } from '../../src/config/properties.js';
import { parseBoolean, parseDuration, parseSize } from '../../src/config/units.js';

test('properties: separators, comments, continuations, escapes, env interpolation', () => {
  const text = [
    '# comment',
    '! also a comment',
    'a=1',
    'b : two words  ',
    'c   spaced',
    'd=first\\',
    '   second',
    'e=caf\\u00e9\\tx',
    'f=${env:SIDECAL_T}',
    'g=${env:NOPE:-fallback}',
    'h=a\\,b,c',
    'key\\=with=eq',
    '',
  ].join('\n');
  const p = parseProperties(text, { SIDECAL_T: 'from-env' });
  assert.equal(p.get('a'), '1');
  assert.equal(p.get('b'), 'two words');
  assert.equal(p.get('c'), 'spaced');
  assert.equal(p.get('d'), 'firstsecond');
  assert.equal(p.get('e'), 'café\tx');
  assert.equal(p.get('f'), 'from-env');
  assert.equal(p.get('g'), 'fallback');
  assert.equal(p.get('h'), 'a\\,b,c', 'escaped comma stays escaped until a key is read');
  assert.equal(p.get('key=with'), 'eq');
  assert.equal(p.size, 9);
});

test('durations: units, default unit, ISO-8601, errors', () => {
  assert.equal(parseDuration('12h'), 43_200_000);
  assert.equal(parseDuration('PT12H'), 43_200_000);
  assert.equal(parseDuration('P1D'), 86_400_000);
  assert.equal(parseDuration('PT1M30S'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30', 's'), 30_000);
  assert.equal(parseDuration('30'), 30);
  assert.equal(parseDuration('5 minutes'), 300_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.throws(() => parseDuration('12 parsecs'), /unknown duration unit/);
  assert.throws(() => parseDuration('soon'), /not a duration/);
  assert.throws(() => parseDuration('PT'), /ISO-8601/);
});

test('sizes and booleans', () => {
  assert.equal(parseSize('50MiB'), 52_428_800);
  assert.equal(parseSize('10MB'), 10_000_000);
  assert.equal(parseSize('1048576'), 1_048_576);
  assert.equal(parseSize('512k'), 524_288);
  assert.throws(() => parseSize('lots'), /not a size/);
  assert.equal(parseBoolean('TRUE'), true);
  assert.equal(parseBoolean('off'), false);
  assert.throws(() => parseBoolean('maybe'));
});
