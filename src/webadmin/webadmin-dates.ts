/** James report dates: `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC, e.g. `2025-09-05T08:00:00.101+0000`. */
export function jamesDate(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}
