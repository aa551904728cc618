import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads a James-style resource reference: `file://conf/x` or `file:///abs/x`, `classpath://x` (looked up in the
 * configuration folder, where the reference's bundled resources would be), or a plain path relative to that folder.
 */
export async function readResource(ref: string, confDir: string): Promise<string> {
  return readFile(resolveResource(ref, confDir), 'utf8');
}

export function resolveResource(ref: string, confDir: string): string {
  if (ref.startsWith('classpath:')) return join(confDir, ref.replace(/^classpath:(\/\/)?/, ''));
  if (ref.startsWith('file:///')) return fileURLToPath(ref);
  if (ref.startsWith('file://')) return resolvePlain(ref.slice('file://'.length), confDir, true);
  if (ref.startsWith('file:')) return resolvePlain(ref.slice('file:'.length), confDir, true);
  return resolvePlain(ref, confDir, false);
}

function resolvePlain(p: string, confDir: string, cwdRelative: boolean): string {
  if (isAbsolute(p)) return p;
  // James resolves `file://conf/jwt_publickey` against the working directory; a bare name against the conf folder.
  return cwdRelative ? join(process.cwd(), p) : join(confDir, p);
}
